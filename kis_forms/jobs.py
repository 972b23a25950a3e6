"""django-tasks-db's table of jobs, which delivery and the purge look into."""

from django.apps import apps


def task_results():
    """django-tasks-db's jobs, found through the app registry: the plugin's modules import
    without it, so that the system checks can name it when a site has not installed it."""
    return apps.get_model("django_tasks_database", "DBTaskResult").objects
