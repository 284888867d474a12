"""Issue 16: the unit search (`search_text` contains the folded query) through an index — a pg_trgm
GIN index on PostgreSQL, an FTS5 trigram table kept by triggers on SQLite (`core.search`)."""

from django.db import migrations

from core.search import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0008_dated_tree"),
    ]

    operations = [CreateSearchIndex("orgunit")]
