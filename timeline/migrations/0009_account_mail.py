from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_account_links')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AccountMail',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('purpose', fields.CharField(max_length=16)),
                ('email', fields.CharField(max_length=254)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name='account_mails', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('attempts', fields.SmallIntField(default=0)),
                ('lease_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'account_mail', 'app': 'models', 'indexes': [Index(fields=['lease_until'])], 'pk_attr': 'id', 'table_description': 'An account e-mail asked for and not sent yet: a password reset for an address (one'},
            bases=['Model'],
        ),
    ]
