from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_quiet_rules')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Delivery',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('local_date', fields.DateField()),
                ('status', fields.CharField(max_length=8)),
                ('attempts', fields.SmallIntField(default=0)),
                ('lease_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('error', fields.CharField(default='', max_length=200)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'delivery', 'app': 'models', 'unique_together': (('user', 'kind', 'local_date'),), 'indexes': [Index(fields=['status', 'lease_until'])], 'pk_attr': 'id', 'table_description': 'One e-mail of one kind for one member and local day: claimed by a worker before it'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EmailPreference',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='email_preference', on_delete=OnDelete.CASCADE)),
                ('on_this_day', fields.BooleanField(default=True)),
                ('weekly', fields.BooleanField(default=True)),
                ('anniversary', fields.BooleanField(default=True)),
                ('hour', fields.SmallIntField(default=8)),
                ('weekly_day', fields.SmallIntField(default=6)),
                ('weekly_hour', fields.SmallIntField(default=9)),
            ],
            options={'table': 'email_preference', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Which e-mails a member wants and when, in their own time zone. No row means the'},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='Connection',
            index=Index(fields=['user_id', 'score']),
        ),
        ops.AddIndex(
            model_name='Membership',
            index=Index(fields=['user_id', 'timeline_id']),
        ),
        ops.AddField(
            model_name='Memory',
            name='resurface_ceiling',
            field=fields.FloatField(default=4.2),
        ),
        ops.AddIndex(
            model_name='Memory',
            index=Index(fields=['timeline_id', 'resurface_ceiling']),
        ),
        ops.AddIndex(
            model_name='Memory',
            index=Index(fields=['recreates_id']),
        ),
        ops.AddIndex(
            model_name='Timeline',
            index=Index(fields=['together_since']),
        ),
        ops.AddIndex(
            model_name='User',
            index=Index(fields=['timezone']),
        ),
    ]
