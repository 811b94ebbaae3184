"""Services get a short code (the start of their items' references), committees their members,
and years their monitoring points. Existing services are given codes made from their names."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def give_services_codes(apps, schema_editor):
    from organisation.references import service_code

    Service = apps.get_model("organisation", "Service")
    taken = set()
    for service in Service.objects.order_by("pk"):
        service.code = service_code(service.name, taken)
        taken.add(service.code)
        service.save(update_fields=["code"])


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0001_organisation_models_moved_from_plans'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='committee',
            name='members',
            field=models.ManyToManyField(blank=True, help_text='Councillors who sit on it: their home page shows its latest reports.', related_name='committees', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='service',
            name='code',
            field=models.CharField(blank=True, help_text='Short letters that start the references of its actions, projects and risks ("LIC" for LIC-A03). Blank: made from the name. Keep it once set: members follow items across years by their references.', max_length=10, default=''),
            preserve_default=False,
        ),
        migrations.RunPython(give_services_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='service',
            name='code',
            field=models.CharField(blank=True, help_text='Short letters that start the references of its actions, projects and risks ("LIC" for LIC-A03). Blank: made from the name. Keep it once set: members follow items across years by their references.', max_length=10, unique=True),
        ),
        migrations.CreateModel(
            name='MonitoringPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='e.g. "Quarter 1" or "Half-year".', max_length=60)),
                ('as_at', models.DateField(help_text='The last day of the month the monitoring reports as at.', verbose_name='reports as at')),
                ('due_date', models.DateField(help_text='When progress updates for it are due.')),
                ('year', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='monitoring_points', to='organisation.financialyear')),
            ],
            options={
                'verbose_name': 'monitoring point',
                'db_table': 'organisation_monitoringpoint',
                'ordering': ['as_at'],
                'constraints': [models.UniqueConstraint(fields=('year', 'as_at'), name='organisation_one_monitoring_point_per_month', violation_error_message='The year already has a monitoring point as at this month.'), models.UniqueConstraint(fields=('year', 'name'), name='organisation_monitoring_point_names_unique_in_year', violation_error_message='The year already has a monitoring point of this name.'), models.CheckConstraint(condition=models.Q(('due_date__gte', models.F('as_at'))), name='organisation_monitoring_point_due_after_as_at', violation_error_message='Updates cannot be due before the date they report as at.')],
            },
        ),
    ]
