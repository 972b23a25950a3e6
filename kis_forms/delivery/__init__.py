"""The e-mails an enquiry sends (to its worker, to the resident) and the task that delivers
them, retried with back-off."""
