"""Default texts of the deklaracja dostępności (accessibility statement).

Taken from the ustawa z 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych
i aplikacji mobilnych podmiotów publicznych and the ustawa z 19 sierpnia 2011 r. o języku
migowym i innych środkach komunikowania się.

They are content in Polish, not interface text: editors may change them per club.
"""

# Continues the sentence "… zobowiązuje się zapewnić dostępność …", so it is in the genitive.
SCOPE = "strony internetowej Klubu Integracji Społecznej"

# Art. 18-19 of the act: a request, 7 days, at most 2 months, a complaint, then the Ombudsman.
COMPLAINTS_PROCEDURE = (
    "<p>Każdy ma prawo zażądać, aby strona internetowa albo jej element, na przykład dokument "
    "lub nagranie, stały się dostępne cyfrowo. Można też poprosić o podanie informacji w inny "
    "sposób, na przykład przez odczytanie niedostępnego dokumentu albo opisanie treści "
    "nagrania.</p>"
    "<p>W żądaniu podaj swoje dane, adres strony albo opis elementu, którego dotyczy żądanie, "
    "oraz sposób kontaktu z Tobą. Jeśli chcesz dostać informację w inny sposób, napisz, jaki "
    "sposób jest dla Ciebie wygodny.</p>"
    "<p>Żądanie spełniamy niezwłocznie, najpóźniej w ciągu 7 dni od dnia jego złożenia. Jeśli "
    "nie zdążymy w tym terminie, od razu napiszemy, kiedy je spełnimy; nie później niż w ciągu "
    "2 miesięcy od dnia złożenia żądania. Jeśli zapewnienie dostępności cyfrowej nie jest "
    "możliwe, zaproponujemy inny sposób dostępu do informacji.</p>"
    "<p>Jeśli odmówimy spełnienia żądania albo zapewnienia innego sposobu dostępu do "
    "informacji, możesz złożyć skargę w sprawie zapewnienia dostępności cyfrowej. Po "
    "wyczerpaniu tej procedury możesz złożyć wniosek do "
    '<a href="https://bip.brpo.gov.pl/">Rzecznika Praw Obywatelskich</a>.</p>'
)

# Art. 11-12 of the sign language act: a free interpreter, asked for 3 working days ahead.
COMMUNICATION = (
    "<p>Osoby, które mają trudności w komunikowaniu się, mogą bezpłatnie skorzystać z pomocy "
    "tłumacza polskiego języka migowego (PJM), systemu językowo-migowego (SJM) lub sposobu "
    "komunikowania się osób głuchoniewidomych (SKOGN). Chęć skorzystania z tłumacza zgłoś co "
    "najmniej 3 dni robocze przed wizytą, z wyjątkiem sytuacji nagłych: e-mailem, listownie "
    "albo przez inną osobę telefonicznie.</p>"
)
