"""A default RODO (GDPR art. 13) information clause built from the club's settings.

It is content in Polish, used until the centre's data protection officer provides the
clause of their own in the club settings.
"""

from django.utils.html import escape


def default_information_clause(settings):
    """The art. 13 clause naming the institution, its data protection officer and retention."""
    institution = escape(settings.institution_name or "Ośrodek Pomocy Społecznej")
    address = escape(", ".join(part for part in (settings.street, settings.city) if part))
    controller = f"{institution}, {address}" if address else institution
    if settings.dpo_email:
        email = escape(settings.dpo_email)
        dpo = f'e-mail: <a href="mailto:{email}">{email}</a>'
    else:
        dpo = "listownie na adres administratora"
    years = max(1, round(settings.enquiry_retention_days / 365))
    return (
        f"<p>Administratorem Pani/Pana danych osobowych jest {controller}, reprezentowany "
        "przez Dyrektora.</p>"
        "<ul>"
        f"<li>Z inspektorem ochrony danych można się skontaktować: {dpo}.</li>"
        "<li>Dane przetwarzamy, aby odpowiedzieć na zgłoszenie i udzielić pomocy "
        "(art. 6 ust. 1 lit. a i e RODO, a informacje o zdrowiu – art. 9 ust. 2 lit. a RODO).</li>"
        "<li>Dane mogą otrzymać wyłącznie podmioty uprawnione na podstawie przepisów prawa "
        "oraz podmioty przetwarzające dane na nasze zlecenie (np. obsługa informatyczna).</li>"
        f"<li>Dane przechowujemy przez około {years} "
        f"{'rok' if years == 1 else 'lata' if years < 5 else 'lat'} od zamknięcia sprawy, "
        "a następnie je anonimizujemy.</li>"
        "<li>Ma Pani/Pan prawo dostępu do danych, ich sprostowania, usunięcia lub ograniczenia "
        "przetwarzania, prawo wniesienia sprzeciwu oraz prawo cofnięcia zgody w dowolnym "
        "momencie.</li>"
        "<li>Ma Pani/Pan prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych.</li>"
        "<li>Podanie danych jest dobrowolne, ale bez nich nie możemy odpowiedzieć na "
        "zgłoszenie.</li>"
        "</ul>"
    )
