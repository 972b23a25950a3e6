"""The form's definition is readable through the API, for headless front ends."""


def test_the_form_definition_with_fields_and_consent_text_is_in_api_v2(resident):
    response = resident.get("/api/v2/pages/", {"type": "kis_forms.EnquiryFormPage", "fields": "*"})
    (form,) = response.json()["items"]
    fields = {field["clean_name"]: field for field in form["form_fields"]}
    assert list(fields) == ["imie_i_nazwisko", "telefon", "e_mail", "temat", "wiadomosc"]
    assert fields["temat"]["field_type"] == "dropdown"
    assert "prace społecznie użyteczne" in fields["temat"]["choices"]
    assert fields["imie_i_nazwisko"]["required"] is True
    assert "Prezesa Urzędu Ochrony Danych Osobowych" in form["consent_text"]
    assert form["reply_within_days"] == 3
