from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0004_daily_pick')]

    initial = False

    operations = [
        ops.CreateModel(
            name='QuietRule',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('timeline', fields.ForeignKeyField('models.Timeline', source_field='timeline_id', db_constraint=True, to_field='id', related_name='quiet_rules', on_delete=OnDelete.CASCADE)),
                ('tag', fields.CharField(null=True, max_length=40)),
                ('starts_on', fields.DateField(null=True)),
                ('ends_on', fields.DateField(null=True)),
                ('yearly', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'quiet_rule', 'app': 'models', 'pk_attr': 'id', 'table_description': 'What a couple asked never to be brought back: a tag, a span of dates (a hard year),'},
            bases=['Model'],
        ),
    ]
