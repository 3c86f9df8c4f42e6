"""Web Push: subscriptions, what each member wants, and the notifications waiting."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0012_delivery_shown')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PushPreference',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='push_preference', on_delete=OnDelete.CASCADE)),
                ('partner_memory', fields.BooleanField(default=True)),
                ('partner_feeling', fields.BooleanField(default=True)),
                ('partner_reply', fields.BooleanField(default=True)),
                ('daily_pick', fields.BooleanField(default=True)),
                ('pick_told_on', fields.DateField(null=True)),
            ],
            options={'table': 'push_preference', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Which notifications a member wants, made when they first subscribe a browser, and'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PushSubscription',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='push_subscriptions', on_delete=OnDelete.CASCADE)),
                ('endpoint', fields.CharField(unique=True, max_length=1024)),
                ('p256dh', fields.CharField(max_length=100)),
                ('auth', fields.CharField(max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'push_subscription', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A browser a member turned notifications on in: the push service URL it gave and the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PushMessage',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('subscription', fields.ForeignKeyField('models.PushSubscription', source_field='subscription_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('topic', fields.CharField(max_length=32)),
                ('payload', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('attempts', fields.SmallIntField(default=0)),
                ('lease_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'push_message', 'app': 'models', 'unique_together': (('subscription', 'topic'),), 'indexes': [Index(fields=['lease_until'])], 'pk_attr': 'id', 'table_description': 'A notification waiting for one subscription, claimed by a worker before it is sent'},
            bases=['Model'],
        ),
    ]
