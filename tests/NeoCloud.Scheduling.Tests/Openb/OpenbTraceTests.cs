using NeoCloud.Scheduling.Openb;

namespace NeoCloud.Scheduling.Tests.Openb;

public sealed class OpenbTraceTests
{
    [Fact]
    public void Nodes_are_read_from_the_openb_columns()
    {
        var nodes = OpenbTrace.ReadNodes(new StringReader("sn,cpu_milli,memory_mib,gpu,model\nn0,64000,262144,2,P100\nn1,96000,393216,8,G2\n"), "nodes.csv");

        Assert.Equal(2, nodes.Count);
        Assert.Equal(("n1", 96000, 393216, 8, "G2"), (nodes[1].Name, nodes[1].CpuMilli, nodes[1].MemoryMib, nodes[1].GpuCount, nodes[1].GpuModel));
    }

    [Fact]
    public void Pods_take_gpu_spec_as_the_allowed_models_and_ignore_other_columns()
    {
        var pods = OpenbTrace.ReadPods(new StringReader("name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos\np0,12000,16384,1,460,T4|P100,LS\np1,4000,100,0,0,,BE\n"), "pods.csv");

        Assert.Equal(["T4", "P100"], pods[0].Request.GpuModels);
        Assert.Equal(460, pods[0].Request.GpuMilli);
        Assert.Null(pods[1].Request.GpuModels);
    }

    [Fact]
    public void A_pod_list_without_gpu_spec_allows_any_model()
    {
        var pods = OpenbTrace.ReadPods(new StringReader("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,12000,16384,8,1000\n"), "pods.csv");

        Assert.Null(Assert.Single(pods).Request.GpuModels);
    }

    [Fact]
    public void A_row_that_is_not_a_number_is_an_error_with_its_line()
    {
        var error = Assert.Throws<OpenbFormatException>(() =>
            OpenbTrace.ReadPods(new StringReader("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1,1,1,1000\np1,1,1,x,1000\n"), "pods.csv"));

        Assert.Equal(3, error.Line);
        Assert.Contains("pods.csv:3", error.Message, StringComparison.Ordinal);
        Assert.Contains("num_gpu", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_share_of_several_gpus_is_an_error_with_its_line()
    {
        var error = Assert.Throws<OpenbFormatException>(() =>
            OpenbTrace.ReadPods(new StringReader("name,cpu_milli,memory_mib,num_gpu,gpu_milli\np0,1,1,2,500\n"), "pods.csv"));

        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void A_row_with_too_few_fields_is_an_error_with_its_line()
    {
        var error = Assert.Throws<OpenbFormatException>(() =>
            OpenbTrace.ReadNodes(new StringReader("sn,cpu_milli,memory_mib,gpu,model\nn0,1,1,1,T4\nn1,1,1\n"), "nodes.csv"));

        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void A_missing_column_is_an_error_on_the_header_line()
    {
        var error = Assert.Throws<OpenbFormatException>(() =>
            OpenbTrace.ReadNodes(new StringReader("sn,cpu_milli,gpu,model\nn0,1,1,T4\n"), "nodes.csv"));

        Assert.Equal(1, error.Line);
        Assert.Contains("memory_mib", error.Message, StringComparison.Ordinal);
    }
}
