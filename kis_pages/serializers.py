"""API v2 serializers for related objects that should appear whole, not as an id."""

from rest_framework import serializers

from .models.social_workers import SocialWorker


class SocialWorkerSerializer(serializers.ModelSerializer):
    """A worker's public work contacts, as shown on the club's pages."""

    class Meta:
        model = SocialWorker
        fields = [field.name for field in SocialWorker.api_fields]
