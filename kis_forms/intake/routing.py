"""Which social worker an enquiry goes to: a matching routing rule, else the form's default;
while that worker is away, their deputy."""


def route(page, answers):
    """The worker who should answer an enquiry with these answers to this form page."""
    fields = {field.label: field for field in page.get_form_fields()}
    for rule in page.routing_rules.select_related("worker__deputy"):
        field = fields.get(rule.field_label)
        if field is not None and rule.value in as_list(answers.get(field.clean_name)):
            return available(rule.worker)
    return available(page.default_worker)


def available(worker):
    """The worker who answers for `worker` now (SocialWorker.who_answers), or None."""
    return worker.who_answers() if worker is not None else None


def as_list(answer):
    """An answer as a list of values: checkboxes give a list, other fields a single value."""
    if isinstance(answer, list | tuple):
        return list(answer)
    return [answer]
