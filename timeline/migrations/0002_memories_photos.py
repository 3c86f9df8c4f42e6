from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Memory',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('timeline', fields.ForeignKeyField('models.Timeline', source_field='timeline_id', db_constraint=True, to_field='id', related_name='memories', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='memories', on_delete=OnDelete.SET_NULL)),
                ('title', fields.CharField(max_length=120)),
                ('body', fields.TextField(default='', unique=False)),
                ('occurred_on', fields.DateField()),
                ('date_precision', fields.CharField(default='day', max_length=5)),
                ('year', fields.SmallIntField()),
                ('month_day', fields.SmallIntField(null=True)),
                ('place', fields.CharField(default='', max_length=200)),
                ('kind', fields.CharField(default='everyday', max_length=16)),
                ('recreates', fields.ForeignKeyField('models.Memory', source_field='recreates_id', null=True, db_constraint=True, to_field='id', related_name='recreated_by', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'memory', 'app': 'models', 'indexes': [Index(fields=['timeline_id', 'occurred_on', 'id']), Index(fields=['timeline_id', 'deleted_at', 'year']), Index(fields=['timeline_id', 'month_day'])], 'pk_attr': 'id', 'table_description': 'A moment of the timeline. Deleting moves it to the trash (deleted_at) for 30 days.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Connection',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('memory', fields.ForeignKeyField('models.Memory', source_field='memory_id', db_constraint=True, to_field='id', related_name='connections', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='connections', on_delete=OnDelete.CASCADE)),
                ('score', fields.SmallIntField()),
                ('appreciation', fields.TextField(default='', unique=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'connection', 'app': 'models', 'unique_together': (('memory', 'user'),), 'pk_attr': 'id', 'table_description': 'How connected one partner felt in a memory (1 to 5) and what they appreciated.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MemoryTag',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('memory', fields.ForeignKeyField('models.Memory', source_field='memory_id', db_constraint=True, to_field='id', related_name='tags', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=40)),
            ],
            options={'table': 'memory_tag', 'app': 'models', 'unique_together': (('memory', 'name'),), 'indexes': [Index(fields=['name', 'memory_id'])], 'pk_attr': 'id', 'table_description': 'One tag on one memory, lower-cased, so tags can be filtered with an index.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Photo',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('memory', fields.ForeignKeyField('models.Memory', source_field='memory_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.CASCADE)),
                ('timeline', fields.ForeignKeyField('models.Timeline', source_field='timeline_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.CASCADE)),
                ('storage_key', fields.CharField(unique=True, max_length=100)),
                ('original_type', fields.CharField(max_length=32)),
                ('sha256', fields.CharField(max_length=64)),
                ('width', fields.IntField()),
                ('height', fields.IntField()),
                ('taken_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('placeholder', fields.CharField(max_length=7)),
                ('position', fields.SmallIntField(default=0)),
                ('caption', fields.CharField(default='', max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'photo', 'app': 'models', 'unique_together': (('timeline', 'sha256'),), 'indexes': [Index(fields=['memory_id', 'position'])], 'pk_attr': 'id', 'table_description': 'A photo of a memory. Its objects live in storage under `storage_key` (original and'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Reply',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('memory', fields.ForeignKeyField('models.Memory', source_field='memory_id', db_constraint=True, to_field='id', related_name='replies', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='replies', on_delete=OnDelete.SET_NULL)),
                ('text', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'reply', 'app': 'models', 'indexes': [Index(fields=['memory_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A partner answering a memory.'},
            bases=['Model'],
        ),
    ]
