from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='LoginFailure',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(max_length=300)),
                ('failed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'login_failure', 'app': 'models', 'indexes': [Index(fields=['key', 'failed_at'])], 'pk_attr': 'id', 'table_description': 'One failed log-in, counted per account and per client address to throttle guessing.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Timeline',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=80)),
                ('together_since', fields.DateField(null=True)),
                ('max_members', fields.SmallIntField(default=2)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'timeline', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The shared timeline of a couple.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('email', fields.CharField(unique=True, max_length=254)),
                ('password_hash', fields.CharField(max_length=255)),
                ('display_name', fields.CharField(max_length=80)),
                ('timezone', fields.CharField(default='UTC', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'account', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A person with an account. `email` is stored lower-cased so lookups ignore case.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Credential',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='credentials', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('secret_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'credential', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A secret that stands for a signed-in user: a web session (cookie) or an API token'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Invite',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('timeline', fields.ForeignKeyField('models.Timeline', source_field='timeline_id', db_constraint=True, to_field='id', related_name='invites', on_delete=OnDelete.CASCADE)),
                ('invited_by', fields.ForeignKeyField('models.User', source_field='invited_by_id', db_constraint=True, to_field='id', related_name='invites_sent', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('used_by', fields.ForeignKeyField('models.User', source_field='used_by_id', null=True, db_constraint=True, to_field='id', related_name='invites_used', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'invite', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A single-use link asking someone to join a timeline. Only a hash of the token is kept.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('timeline', fields.ForeignKeyField('models.Timeline', source_field='timeline_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'membership', 'app': 'models', 'unique_together': (('timeline', 'user'),), 'pk_attr': 'id', 'table_description': 'A user belongs to a timeline. Every query of timeline data goes through this row.'},
            bases=['Model'],
        ),
    ]
