"""Stable references for actions, milestones, projects and risks, and progress updates.

Existing items are numbered service by service, oldest plan first. An item of a plan copied
from another (rolled forward or revised) keeps the reference of the item it was copied from,
found by its title: that is how roll-forward copies, so the titles match unless an officer
retitled the item since.
"""

import django.core.validators
import django.db.models.deletion
import plans.models
from django.conf import settings
from django.db import migrations, models


def number_existing_items(apps, schema_editor):
    from organisation.references import milestone_reference, part_reference

    Plan = apps.get_model("plans", "ServicePlan")
    Service = apps.get_model("organisation", "Service")
    parts = {
        "action": (apps.get_model("plans", "Action"), "title"),
        "project": (apps.get_model("plans", "Project"), "title"),
        "risk": (apps.get_model("plans", "Risk"), "description"),
    }
    Milestone = apps.get_model("plans", "Milestone")
    for service in Service.objects.order_by("pk"):
        plans = Plan.objects.filter(service=service).order_by("year__start_year", "version")
        for kind, (model, title) in parts.items():
            highest, by_plan = 0, {}
            for plan in plans:
                inherited = by_plan.get(plan.rolled_from_id, {})
                given = {}
                for part in model.objects.filter(plan=plan).order_by("position", "pk"):
                    reference = inherited.get(getattr(part, title))
                    if reference is None or reference in given.values():
                        highest += 1
                        reference = part_reference(service.code, kind, highest)
                    part.reference = reference
                    part.save(update_fields=["reference"])
                    given[getattr(part, title)] = reference
                by_plan[plan.pk] = given
    for action in apps.get_model("plans", "Action").objects.exclude(reference=""):
        milestones = Milestone.objects.filter(action=action).order_by("position", "due_date", "pk")
        for number, milestone in enumerate(milestones, start=1):
            milestone.reference = milestone_reference(action.reference, number)
            milestone.save(update_fields=["reference"])


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0002_service_codes_committee_members_monitoring_points'),
        ('plans', '0006_report_models_moved_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProgressUpdate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('action', 'Action'), ('milestone', 'Milestone'), ('project', 'Project'), ('risk', 'Risk')], max_length=10)),
                ('reference', models.CharField(max_length=24)),
                ('status', models.CharField(blank=True, choices=[('not_started', 'Not started'), ('on_track', 'On track'), ('at_risk', 'At risk'), ('off_track', 'Off track'), ('completed', 'Completed'), ('cancelled', 'Cancelled')], max_length=12)),
                ('percent_complete', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MaxValueValidator(100)], verbose_name='% complete')),
                ('commentary', models.TextField(blank=True)),
                ('completed_on', models.DateField(blank=True, help_text='For a milestone: the day it was completed.', null=True)),
                ('likelihood', models.PositiveSmallIntegerField(blank=True, help_text='For a risk: 1 (rare) to 5.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)])),
                ('impact', models.PositiveSmallIntegerField(blank=True, help_text='For a risk: 1 (minor) to 5.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)])),
                ('evidence_link', models.URLField(blank=True, max_length=500)),
                ('evidence_file', models.FileField(blank=True, max_length=200, upload_to=plans.models.evidence_path)),
                ('evidence_name', models.CharField(blank=True, help_text="The evidence file's name as uploaded.", max_length=200)),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('head_comment', models.TextField(blank=True, verbose_name="head of service's comment")),
                ('head_comment_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'progress update',
                'ordering': ['at', 'id'],
            },
        ),
        migrations.AddField(
            model_name='action',
            name='reference',
            field=models.CharField(blank=True, db_index=True, help_text='Stable reference, kept across years. Blank: the next number.', max_length=20),
        ),
        migrations.AddField(
            model_name='historicalaction',
            name='reference',
            field=models.CharField(blank=True, db_index=True, help_text='Stable reference, kept across years. Blank: the next number.', max_length=20),
        ),
        migrations.AddField(
            model_name='historicalmilestone',
            name='reference',
            field=models.CharField(blank=True, db_index=True, help_text="Its action's reference and a number (LIC-A03.1). Blank: the next number.", max_length=24),
        ),
        migrations.AddField(
            model_name='historicalproject',
            name='reference',
            field=models.CharField(blank=True, db_index=True, help_text='Stable reference, kept across years. Blank: the next number.', max_length=20),
        ),
        migrations.AddField(
            model_name='historicalrisk',
            name='reference',
            field=models.CharField(blank=True, db_index=True, help_text='Stable reference, kept across years. Blank: the next number.', max_length=20),
        ),
        migrations.AddField(
            model_name='milestone',
            name='reference',
            field=models.CharField(blank=True, db_index=True, help_text="Its action's reference and a number (LIC-A03.1). Blank: the next number.", max_length=24),
        ),
        migrations.AddField(
            model_name='project',
            name='reference',
            field=models.CharField(blank=True, db_index=True, help_text='Stable reference, kept across years. Blank: the next number.', max_length=20),
        ),
        migrations.AddField(
            model_name='risk',
            name='reference',
            field=models.CharField(blank=True, db_index=True, help_text='Stable reference, kept across years. Blank: the next number.', max_length=20),
        ),
        migrations.RunPython(number_existing_items, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.UniqueConstraint(fields=('plan', 'reference'), name='plans_action_reference_unique_in_plan'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.UniqueConstraint(fields=('action', 'reference'), name='plans_milestone_reference_unique_in_action'),
        ),
        migrations.AddConstraint(
            model_name='project',
            constraint=models.UniqueConstraint(fields=('plan', 'reference'), name='plans_project_reference_unique_in_plan'),
        ),
        migrations.AddConstraint(
            model_name='risk',
            constraint=models.UniqueConstraint(fields=('plan', 'reference'), name='plans_risk_reference_unique_in_plan'),
        ),
        migrations.AddField(
            model_name='progressupdate',
            name='by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='progressupdate',
            name='head_comment_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='progressupdate',
            name='point',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='progress_updates', to='organisation.monitoringpoint', verbose_name='monitoring point'),
        ),
        migrations.AddField(
            model_name='progressupdate',
            name='service',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.service'),
        ),
        migrations.AddIndex(
            model_name='progressupdate',
            index=models.Index(fields=['service', 'reference'], name='plans_progr_service_f94f8d_idx'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'risk'), ('status', ''), ('impact__gte', 1), ('likelihood__gte', 1)), models.Q(models.Q(('kind', 'risk'), _negated=True), models.Q(('status', ''), _negated=True), ('impact', None), ('likelihood', None)), _connector='OR'), name='plans_progress_status_or_risk_scores', violation_error_message='A risk is re-scored; any other item has a status.'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.CheckConstraint(condition=models.Q(('likelihood', None), ('likelihood__lte', 5), _connector='OR'), name='plans_progress_likelihood_1_to_5'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.CheckConstraint(condition=models.Q(('impact', None), ('impact__lte', 5), _connector='OR'), name='plans_progress_impact_1_to_5'),
        ),
        migrations.AddConstraint(
            model_name='progressupdate',
            constraint=models.CheckConstraint(condition=models.Q(('percent_complete', None), ('percent_complete__lte', 100), _connector='OR'), name='plans_progress_percent_at_most_100'),
        ),
    ]
