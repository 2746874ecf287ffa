from django.db import models


class Counter(models.Model):
    """A running number (appeal GD numbers, letter numbers), taken under a row lock: never twice the same."""

    key = models.CharField(max_length=40, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
