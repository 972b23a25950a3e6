"""What happens to personal data over time: retention, anonymising and the nightly purge."""
