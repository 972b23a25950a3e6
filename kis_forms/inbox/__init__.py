"""The moderators' admin: the inbox viewset and its views, tables, filters and queries,
single and bulk actions, exports, data-subject requests, the dashboard panel, group
permissions and the history's log actions."""
