using NeoCloud.Kernel.Ids;
using NeoCloud.Server.Tests.Fakes;
using NeoCloud.Workloads.Jobs;
using NeoCloud.Workloads.Specs;

namespace NeoCloud.Server.Tests.Hosting;

public sealed class JobAuditWiringTests
{
    [Fact]
    public async Task A_job_state_change_in_the_hosts_workload_store_is_audited_by_the_background_relay()
    {
        await using var host = await NeoCloudTestHost.StartAsync();
        var spec = WorkloadSpecReader.ParseJob("""
            apiVersion: neocloud.dev/v1
            kind: Job
            metadata: { name: train, tenant: acme }
            spec:
              queue: acme-training
              resources: { gpus: 1, cpu: 4, memory: 16 }
            """);
        var (job, submitted) = Job.Submit(new JobId("job-01"), spec, "person:alice", DateTimeOffset.UnixEpoch);

        await host.Workloads.SubmitAsync(job, submitted, default);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!host.Audit.Records.Any(r => r.Target == "job-01") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var record = Assert.Single(host.Audit.Records, r => r.Target == "job-01");
        Assert.Equal(("job.submit", "workloads.job-event:1", "pending"), (record.Action, record.SourceId, record.After));
    }
}
