# The emulation clusters' models, moved here from `organizations` (issue 11) with their tables, columns,
# constraints and indexes unchanged (`organizations/0003` created them; `organizations/0004` removed them
# from that app's state). State only: the database is not touched, so existing rows stay as they are.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organizations', '0004_move_clusters_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Cluster',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='Năm')),
                        ('name', models.CharField(max_length=255, verbose_name='Tên cụm, khối')),
                        ('kind', models.CharField(choices=[('CUM', 'Cụm thi đua'), ('KHOI', 'Khối thi đua')], default='CUM', max_length=8, verbose_name='Loại')),
                        ('note', models.TextField(blank=True, verbose_name='Ghi chú')),
                        ('flag_quota', models.PositiveSmallIntegerField(default=1, verbose_name='Số đơn vị được đề nghị tặng Cờ')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('organiser', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='organised_clusters', to='organizations.orgunit', verbose_name='Đơn vị tổ chức')),
                    ],
                    options={
                        'db_table': 'organizations_cluster',
                        'verbose_name': 'Cụm, khối thi đua',
                        'verbose_name_plural': 'Cụm, khối thi đua',
                        'ordering': ['organiser_id', '-year', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='ClusterMember',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(editable=False)),
                        ('role', models.CharField(choices=[('LEADER', 'Cụm trưởng'), ('DEPUTY', 'Cụm phó'), ('MEMBER', 'Thành viên')], default='MEMBER', max_length=8, verbose_name='Vai trò')),
                        ('rank', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='Xếp hạng')),
                        ('score', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True, verbose_name='Điểm')),
                        ('proposed_for_flag', models.BooleanField(default=False, verbose_name='Đề nghị tặng Cờ thi đua')),
                        ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='clusters.cluster', verbose_name='Cụm, khối')),
                        ('organiser', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organizations.orgunit')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cluster_memberships', to='organizations.orgunit', verbose_name='Đơn vị')),
                    ],
                    options={
                        'db_table': 'organizations_clustermember',
                        'verbose_name': 'Đơn vị thành viên cụm, khối',
                        'verbose_name_plural': 'Đơn vị thành viên cụm, khối',
                    },
                ),
                migrations.CreateModel(
                    name='Covenant',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('content', models.TextField(verbose_name='Nội dung giao ước')),
                        ('signed_on', models.DateField(verbose_name='Ngày ký')),
                        ('place', models.CharField(blank=True, max_length=255, verbose_name='Địa điểm ký')),
                        ('document', models.FileField(blank=True, upload_to='covenants/%Y/', verbose_name='Văn bản giao ước (bản scan)')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('cluster', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='covenant', to='clusters.cluster', verbose_name='Cụm, khối')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='Người ghi nhận')),
                        ('signatories', models.ManyToManyField(blank=True, related_name='signed_covenants', to='organizations.orgunit', verbose_name='Đơn vị ký')),
                    ],
                    options={
                        'db_table': 'organizations_covenant',
                        'verbose_name': 'Giao ước thi đua',
                        'verbose_name_plural': 'Giao ước thi đua',
                    },
                ),
                migrations.AddIndex(
                    model_name='cluster',
                    index=models.Index(fields=['organiser', 'year'], name='cluster_organiser_year'),
                ),
                migrations.AddConstraint(
                    model_name='cluster',
                    constraint=models.UniqueConstraint(fields=('organiser', 'year', 'name'), name='cluster_unique_name_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='clustermember',
                    constraint=models.UniqueConstraint(fields=('cluster', 'unit'), name='clustermember_unique_unit'),
                ),
                migrations.AddConstraint(
                    model_name='clustermember',
                    constraint=models.UniqueConstraint(fields=('organiser', 'year', 'unit'), name='clustermember_one_cluster_per_year'),
                ),
                migrations.AddConstraint(
                    model_name='clustermember',
                    constraint=models.UniqueConstraint(condition=models.Q(('role', 'LEADER')), fields=('cluster',), name='clustermember_one_leader'),
                ),
                migrations.AddConstraint(
                    model_name='clustermember',
                    constraint=models.UniqueConstraint(condition=models.Q(('role', 'DEPUTY')), fields=('cluster',), name='clustermember_one_deputy'),
                ),
                migrations.AddConstraint(
                    model_name='clustermember',
                    constraint=models.UniqueConstraint(condition=models.Q(('rank__isnull', False)), fields=('cluster', 'rank'), name='clustermember_unique_rank'),
                ),
            ],
            database_operations=[],
        ),
    ]
