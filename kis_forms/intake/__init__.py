"""The resident's path: the enquiry form and its JSON twin, the abuse gate, validation,
routing to a worker and storing, in one pipeline (`pipeline.take_in`)."""
