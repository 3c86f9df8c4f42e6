from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_emails_and_ceilings')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Milestone',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('timeline', fields.ForeignKeyField('models.Timeline', source_field='timeline_id', db_constraint=True, to_field='id', related_name='milestones', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('label', fields.CharField(default='', max_length=80)),
                ('occurred_on', fields.DateField()),
                ('date_precision', fields.CharField(default='day', max_length=5)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'milestone', 'app': 'models', 'indexes': [Index(fields=['timeline_id', 'occurred_on'])], 'pk_attr': 'id', 'table_description': 'A date the couple keeps besides the day they got together: their first date, their'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecapShare',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('timeline', fields.ForeignKeyField('models.Timeline', source_field='timeline_id', db_constraint=True, to_field='id', related_name='recap_shares', on_delete=OnDelete.CASCADE)),
                ('year', fields.SmallIntField()),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='recap_shares', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'recap_share', 'app': 'models', 'indexes': [Index(fields=['timeline_id', 'year'])], 'pk_attr': 'id', 'table_description': 'A link that shows one relationship year of a timeline to whoever holds it, read-only.'},
            bases=['Model'],
        ),
    ]
