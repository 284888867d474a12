# The emulation clusters moved to their own app `clusters` (issue 11). Their tables stay where they are
# (`clusters.models` names them with `Meta.db_table`): this removes them from this app's migration state
# only; `clusters/0001_initial` adds them to that app's state, also without touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0003_cluster_clustermember_covenant_and_more'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Covenant'),
                migrations.DeleteModel(name='ClusterMember'),
                migrations.DeleteModel(name='Cluster'),
            ],
            database_operations=[],
        ),
    ]
