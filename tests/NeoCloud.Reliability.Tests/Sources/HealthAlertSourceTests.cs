using NeoCloud.Health.Remediation;
using NeoCloud.Reliability.Incidents;
using NeoCloud.Reliability.Sources;
using static NeoCloud.Reliability.Tests.Sources.HealthScenario;

namespace NeoCloud.Reliability.Tests.Sources;

public sealed class HealthAlertSourceTests
{
    [Fact]
    public void A_gpu_diagnosis_becomes_one_alert_that_names_the_gpu_its_node_and_the_tenant_of_its_work()
    {
        var source = new HealthAlertSource(new HealthAlertOptions { OwnerOfWork = w => w == 42 ? new WorkOwner("acme", "training") : null });
        var diagnosis = GpuFault("dgn-1", work: 42);
        source.Observe(diagnosis, null);

        var alert = Assert.Single(source.Alerts(At(30)));
        Assert.Equal(HealthAlertNames.GpuFault, alert["alertname"]);
        Assert.Equal("n001/gpu3", alert["gpu"]);
        Assert.Equal("n001", alert[IncidentLabels.Node]);
        Assert.Equal("dgn-1", alert[IncidentLabels.Diagnosis]);
        Assert.Equal("fnd-dgn-1", alert[IncidentLabels.Finding]);
        Assert.Equal("XID-79", alert[HealthAlertNames.CodeLabel]);
        Assert.Equal("warning", alert[IncidentLabels.Severity]);
        Assert.Equal("acme", alert[IncidentLabels.Tenant]);
        Assert.Equal("training", alert[IncidentLabels.LineOfBusiness]);
        Assert.Equal(At(5), alert.StartsAt);
        Assert.Null(alert.EndsAt);
    }

    [Fact]
    public void The_alert_fires_while_its_run_works_and_ends_when_the_run_returns_the_hardware()
    {
        var source = new HealthAlertSource();
        var diagnosis = GpuFault("dgn-1");
        source.Observe(diagnosis, Run("rem-1", diagnosis, RemediationStep.Drain, 20));
        var firing = Assert.Single(source.Alerts(At(60)));
        Assert.Null(firing.EndsAt);
        Assert.Equal("rem-1", firing.Annotations[HealthAlertNames.RunAnnotation]);
        Assert.Equal("false", firing.Annotations[HealthAlertNames.MitigatedAnnotation]);

        source.Observe(Run("rem-1", diagnosis, RemediationStep.Act, 90, version: 2));
        Assert.Equal("true", Assert.Single(source.Alerts(At(100))).Annotations[HealthAlertNames.MitigatedAnnotation]);

        source.Observe(Run("rem-1", diagnosis, RemediationStep.Returned, 600, version: 3));
        Assert.Equal(At(600), Assert.Single(source.Alerts(At(700))).EndsAt);

        // An older version arriving late does not bring the alert back.
        source.Observe(Run("rem-1", diagnosis, RemediationStep.Act, 90, version: 2));
        Assert.Equal(At(600), Assert.Single(source.Alerts(At(700))).EndsAt);
    }

    [Fact]
    public void An_alert_nothing_acts_on_ends_after_its_findings_are_quiet_and_is_then_forgotten()
    {
        var options = new HealthAlertOptions { ResolveWithoutRun = TimeSpan.FromMinutes(15), KeepResolved = TimeSpan.FromMinutes(30) };
        var source = new HealthAlertSource(options);
        source.Observe(GpuFault("dgn-1", fatal: false, code: "STRAGGLER"), null);

        Assert.Null(Assert.Single(source.Alerts(At(20 + (14 * 60)))).EndsAt);
        Assert.Equal(At(20 + (15 * 60)), Assert.Single(source.Alerts(At(20 + (16 * 60)))).EndsAt);
        Assert.Equal("info", Assert.Single(source.Alerts(At(20 + (16 * 60))))[IncidentLabels.Severity]);
        Assert.Empty(source.Alerts(At(20 + (46 * 60))));
        Assert.Equal(0, source.Count);
    }

    [Fact]
    public void A_run_refused_by_a_breaker_does_not_end_the_alert_early()
    {
        var source = new HealthAlertSource();
        var diagnosis = GpuFault("dgn-1");
        source.Observe(diagnosis, Run("rem-1", diagnosis, RemediationStep.Refused, 20));
        Assert.Null(Assert.Single(source.Alerts(At(600))).EndsAt);
        Assert.NotNull(Assert.Single(source.Alerts(At(20 + (16 * 60)))).EndsAt);
    }

    [Fact]
    public void A_node_diagnosis_that_supersedes_a_gpu_diagnosis_ends_the_gpu_alert_and_says_the_node_is_down()
    {
        var source = new HealthAlertSource();
        source.Observe(GpuFault("dgn-1"), null);
        source.Observe(NodeDown("dgn-2", supersedes: ["dgn-1"]), null);

        var alerts = source.Alerts(At(60)).ToDictionary(a => a[IncidentLabels.Diagnosis]);
        Assert.Equal(At(30), alerts["dgn-1"].EndsAt);
        Assert.Equal(HealthAlertNames.NodeDown, alerts["dgn-2"]["alertname"]);
        Assert.Equal("page", alerts["dgn-2"][IncidentLabels.Severity]);
        Assert.Null(alerts["dgn-2"].EndsAt);
    }

    [Fact]
    public void A_switch_diagnosis_is_critical_and_names_the_switch_not_a_node()
    {
        var source = new HealthAlertSource();
        source.Observe(SwitchDown("dgn-9", "leaf-3", ["n001", "n002", "n003"]), null);
        var alert = Assert.Single(source.Alerts(At(60)));
        Assert.Equal(HealthAlertNames.SwitchDown, alert["alertname"]);
        Assert.Equal("leaf-3", alert[HealthAlertNames.SwitchLabel]);
        Assert.Equal(string.Empty, alert[IncidentLabels.Node]);
        Assert.Equal("critical", alert[IncidentLabels.Severity]);
    }

    [Fact]
    public void Observing_the_same_diagnosis_twice_keeps_one_alert_and_links_the_run_given_later()
    {
        var source = new HealthAlertSource();
        var diagnosis = GpuFault("dgn-1");
        source.Observe(diagnosis, null);
        source.Observe(diagnosis, Run("rem-1", diagnosis, RemediationStep.Cordon, 20));
        Assert.Equal("rem-1", Assert.Single(source.Alerts(At(40))).Annotations[HealthAlertNames.RunAnnotation]);
    }
}
