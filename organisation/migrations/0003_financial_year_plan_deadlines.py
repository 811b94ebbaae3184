"""Financial years get the planning round's deadlines: when plans are to be submitted to heads of
service and when approved (both optional; approval not before submission)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0002_service_codes_committee_members_monitoring_points'),
    ]

    operations = [
        migrations.AddField(
            model_name='financialyear',
            name='approvals_due',
            field=models.DateField(blank=True, help_text="When heads of service must have approved the year's service plans.", null=True, verbose_name='plans approved by'),
        ),
        migrations.AddField(
            model_name='financialyear',
            name='plans_due',
            field=models.DateField(blank=True, help_text="When the year's service plans must be submitted to heads of service.", null=True, verbose_name='plans submitted by'),
        ),
        migrations.AddConstraint(
            model_name='financialyear',
            constraint=models.CheckConstraint(condition=models.Q(('plans_due__isnull', True), ('approvals_due__isnull', True), ('approvals_due__gte', models.F('plans_due')), _connector='OR'), name='organisation_plans_approved_not_before_submitted', violation_error_message='Plans cannot be due for approval before submission.'),
        ),
    ]
