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
    """The worker, or while they are inactive the first active deputy down the chain.

    When nobody in the chain is active, the worker themself: someone reads their mailbox.
    """
    seen = set()
    current = worker
    while current is not None and not current.active and current.pk not in seen:
        seen.add(current.pk)
        current = current.deputy
    return current if current is not None and current.active else worker


def as_list(answer):
    """An answer as a list of values: checkboxes give a list, other fields a single value."""
    if isinstance(answer, list | tuple):
        return list(answer)
    return [answer]
