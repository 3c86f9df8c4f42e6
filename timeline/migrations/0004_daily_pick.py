from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_search')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Suggestion',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('timeline', fields.ForeignKeyField('models.Timeline', source_field='timeline_id', db_constraint=True, to_field='id', related_name='suggestions', on_delete=OnDelete.CASCADE)),
                ('local_date', fields.DateField()),
                ('memory', fields.ForeignKeyField('models.Memory', source_field='memory_id', db_constraint=True, to_field='id', related_name='suggestions', on_delete=OnDelete.CASCADE)),
                ('score', fields.FloatField()),
                ('reasons', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('prompt', fields.TextField(unique=False)),
                ('action', fields.CharField(null=True, max_length=16)),
                ('snoozed_until', fields.DateField(null=True)),
                ('planned_on', fields.DateField(null=True)),
                ('answered_by', fields.ForeignKeyField('models.User', source_field='answered_by_id', null=True, db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.SET_NULL)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'suggestion', 'app': 'models', 'unique_together': (('timeline', 'local_date'),), 'indexes': [Index(fields=['memory_id', 'local_date'])], 'pk_attr': 'id', 'table_description': 'The daily "Remember when..." pick of a timeline for one local day, and what the'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Memory',
            name='never_resurface',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Timeline',
            name='timezone',
            field=fields.CharField(default='UTC', max_length=64),
        ),
    ]
