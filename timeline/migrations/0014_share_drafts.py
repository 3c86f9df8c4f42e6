"""Photos shared from a phone gallery: drafts waiting to become memories, and their photos."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0013_push')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ShareDraft',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name='share_drafts', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(max_length=64)),
                ('title', fields.CharField(default='', max_length=120)),
                ('body', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'share_draft', 'app': 'models', 'indexes': [Index(fields=['expires_at']), Index(fields=['user_id', 'expires_at'])], 'pk_attr': 'id', 'table_description': 'Photos shared from a phone gallery, waiting to become a memory. The member is null'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ShareDraftPhoto',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('draft', fields.ForeignKeyField('models.ShareDraft', source_field='draft_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.CASCADE)),
                ('storage_key', fields.CharField(unique=True, max_length=100)),
                ('original_type', fields.CharField(max_length=32)),
                ('width', fields.IntField()),
                ('height', fields.IntField()),
                ('taken_on', fields.DateField(null=True)),
                ('placeholder', fields.CharField(max_length=7)),
                ('position', fields.SmallIntField(default=0)),
            ],
            options={'table': 'share_draft_photo', 'app': 'models', 'indexes': [Index(fields=['draft_id', 'position'])], 'pk_attr': 'id', 'table_description': 'One shared photo of a draft: its original and a thumb live in storage under'},
            bases=['Model'],
        ),
    ]
