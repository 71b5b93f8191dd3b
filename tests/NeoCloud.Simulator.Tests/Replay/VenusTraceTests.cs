using NeoCloud.Simulator.Replay;

namespace NeoCloud.Simulator.Tests.Replay;

public sealed class VenusTraceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("venus-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Jobs_match_each_buckets_count_and_gpu_demand_and_queues_follow_cluster_sizes()
    {
        var trace = Load(
            """
            time,submit_job_all,start_job_all,end_job_all,submit_gpu_job,start_gpu_job,end_gpu_job,submit_gpu_num,start_gpu_num,end_gpu_num
            2020-04-01 00:00:00,9,9,9,3,3,3,12,12,12
            2020-04-01 00:10:00,9,9,9,0,0,0,0,0,0
            2020-04-01 00:20:00,9,9,9,5,5,5,5,5,5
            2020-04-02 00:00:00,9,9,9,7,7,7,7,7,7
            """,
            ",num\nvcA,9\nvcB,1\n");

        var jobs = trace.Jobs(seed: 3, fromDay: 0, days: 1);

        Assert.Equal(10, trace.TotalNodes);
        Assert.Equal(8, jobs.Count);
        Assert.Equal(17, jobs.Sum(j => j.Gpus));
        Assert.All(jobs, j => Assert.True(j.Gpus is 1 or 2 or 4 or 8 or 16 or 32 or 64));
        Assert.All(jobs, j => Assert.InRange(j.Arrival, TimeSpan.Zero, TimeSpan.FromMinutes(30)));
        Assert.Equal(jobs.OrderBy(j => j.Arrival).Select(j => j.Id), jobs.Select(j => j.Id));
        Assert.Equal(jobs, trace.Jobs(seed: 3, fromDay: 0, days: 1));
    }

    [Fact]
    public void Runtimes_follow_the_helios_median_and_arrival_scaling_compresses_time()
    {
        string rows = string.Join('\n', Enumerable.Range(0, 144).Select(i =>
            $"{new DateTime(2020, 4, 1).AddMinutes(10 * i):yyyy-MM-dd HH:mm:ss},0,0,0,20,0,0,20,0,0"));
        var trace = Load("time,submit_job_all,start_job_all,end_job_all,submit_gpu_job,start_gpu_job,end_gpu_job,submit_gpu_num,start_gpu_num,end_gpu_num\n" + rows, ",num\nvcA,4\n");

        var jobs = trace.Jobs(seed: 1, fromDay: 0, days: 1);
        var fast = trace.Jobs(seed: 1, fromDay: 0, days: 1, arrivalScale: 2);
        double median = jobs.Select(j => j.Runtime.TotalSeconds).Order().ElementAt(jobs.Count / 2);

        Assert.Equal(2880, jobs.Count);
        Assert.InRange(median, 150, 280);
        Assert.True(fast.Max(j => j.Arrival) <= TimeSpan.FromHours(12.01));
    }

    [Fact]
    public void A_bad_row_is_reported_with_its_file_and_line()
    {
        var error = Assert.Throws<FormatException>(() => Load(
            "time,submit_gpu_job,submit_gpu_num\n2020-04-01 00:00:00,3,12\n2020-04-01 00:10:00,x,1\n",
            ",num\nvcA,1\n"));
        Assert.Contains("throughput.csv:3", error.Message, StringComparison.Ordinal);
    }

    private VenusTrace Load(string throughput, string clusters)
    {
        string t = Path.Combine(_dir, "throughput.csv"), c = Path.Combine(_dir, "clusters.csv");
        File.WriteAllText(t, throughput);
        File.WriteAllText(c, clusters);
        return VenusTrace.Load(t, c);
    }
}
