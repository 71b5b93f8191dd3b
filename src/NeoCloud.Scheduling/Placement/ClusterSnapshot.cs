using System.Numerics;

namespace NeoCloud.Scheduling.Placement;

/// <summary>
/// The free capacity of a cluster as placement sees it, struct-of-arrays so the hot path walks flat arrays and allocates
/// nothing. Assign and release keep it exact: no GPU gives more than 1000 milli, CPU and memory never go negative.
/// </summary>
public sealed class ClusterSnapshot
{
    /// <summary>Most GPUs one node may have: a binding names its GPUs in one 64-bit mask.</summary>
    public const int MaxGpusPerNode = 64;

    private readonly string[] _names;
    private readonly int[] _cpuCapacity;
    private readonly int[] _memoryCapacity;
    private readonly int[] _cpuFree;
    private readonly int[] _memoryFree;
    private readonly int[] _gpuStart;
    private readonly int[] _gpuCount;
    private readonly int[] _gpuFree;
    private readonly int[] _gpuFreeTotal;
    private readonly int[] _model;
    private readonly string[] _models;

    public ClusterSnapshot(IReadOnlyList<NodeCapacity> nodes)
    {
        int n = nodes.Count;
        _names = new string[n];
        _cpuCapacity = new int[n];
        _memoryCapacity = new int[n];
        _cpuFree = new int[n];
        _memoryFree = new int[n];
        _gpuStart = new int[n + 1];
        _gpuCount = new int[n];
        _gpuFreeTotal = new int[n];
        _model = new int[n];
        var models = new List<string>();
        for (int i = 0; i < n; i++)
        {
            var node = nodes[i];
            if (node.CpuMilli < 0 || node.MemoryMib < 0 || node.GpuCount is < 0 or > MaxGpusPerNode)
            {
                throw new ArgumentException($"node {node.Name}: capacity out of range (GPUs 0..{MaxGpusPerNode}, CPU and memory not negative)", nameof(nodes));
            }

            _names[i] = node.Name;
            _cpuCapacity[i] = _cpuFree[i] = node.CpuMilli;
            _memoryCapacity[i] = _memoryFree[i] = node.MemoryMib;
            _gpuCount[i] = node.GpuCount;
            _gpuStart[i + 1] = _gpuStart[i] + node.GpuCount;
            _gpuFreeTotal[i] = node.GpuCount * PlacementRequest.WholeGpu;
            int model = models.IndexOf(node.GpuModel);
            if (model < 0)
            {
                if (models.Count == 64)
                {
                    throw new ArgumentException("at most 64 distinct GPU models", nameof(nodes));
                }

                model = models.Count;
                models.Add(node.GpuModel);
            }

            _model[i] = model;
        }

        _models = [.. models];
        _gpuFree = new int[_gpuStart[n]];
        Array.Fill(_gpuFree, PlacementRequest.WholeGpu);
        GpuCapacityMilli = (long)_gpuStart[n] * PlacementRequest.WholeGpu;
    }

    public int NodeCount => _names.Length;

    /// <summary>All GPUs of the cluster in milli-GPU (C of the openb protocol).</summary>
    public long GpuCapacityMilli { get; }

    /// <summary>GPU milli given out right now.</summary>
    public long GpuAllocatedMilli { get; private set; }

    public IReadOnlyList<string> GpuModels => _models;

    public string NodeName(int node) => _names[node];

    public int CpuCapacity(int node) => _cpuCapacity[node];

    public int MemoryCapacity(int node) => _memoryCapacity[node];

    public int CpuFree(int node) => _cpuFree[node];

    public int MemoryFree(int node) => _memoryFree[node];

    public int GpuCount(int node) => _gpuCount[node];

    /// <summary>Free milli-GPU of each GPU of the node (0..1000), a view on the snapshot's own array.</summary>
    public ReadOnlySpan<int> GpuFree(int node) => _gpuFree.AsSpan(_gpuStart[node], _gpuCount[node]);

    public int GpuFreeTotal(int node) => _gpuFreeTotal[node];

    /// <summary>Index of the node's GPU model in <see cref="GpuModels"/>.</summary>
    public int ModelOf(int node) => _model[node];

    /// <summary>Binds a request to this snapshot's GPU models (unknown model names match no node).</summary>
    public ResolvedRequest Resolve(PlacementRequest request)
    {
        if (request.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        return new ResolvedRequest(request, ModelMask(request.GpuModels));
    }

    /// <summary>The bit set of the given model names over this snapshot's models; null or empty means every model.</summary>
    public ulong ModelMask(IReadOnlyList<string>? models)
    {
        if (models is null || models.Count == 0)
        {
            return ulong.MaxValue;
        }

        ulong mask = 0;
        foreach (string name in models)
        {
            int m = Array.IndexOf(_models, name);
            if (m >= 0)
            {
                mask |= 1UL << m;
            }
        }

        return mask;
    }

    /// <summary>How many of the node's GPUs have at least <paramref name="milli"/> free.</summary>
    public int GpusWithAtLeast(int node, int milli)
    {
        int count = 0;
        foreach (int free in GpuFree(node))
        {
            if (free >= milli)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>True when the request fits the node now: CPU, memory, GPU model, and enough GPUs with enough free milli.</summary>
    public bool Fits(int node, in ResolvedRequest request) =>
        _cpuFree[node] >= request.CpuMilli
        && _memoryFree[node] >= request.MemoryMib
        && (request.GpuCount == 0
            || ((request.ModelMask & (1UL << _model[node])) != 0 && GpusWithAtLeast(node, request.GpuMilli) >= request.GpuCount));

    /// <summary>Takes the request's capacity on the node and GPUs named by the binding; throws and changes nothing if it does not fit.</summary>
    public void Assign(Binding binding, in ResolvedRequest request)
    {
        int node = binding.Node;
        CheckBinding(binding, request);
        if (_cpuFree[node] < request.CpuMilli || _memoryFree[node] < request.MemoryMib)
        {
            throw new InvalidOperationException($"node {_names[node]}: not enough CPU or memory free");
        }

        if (request.GpuCount > 0 && (request.ModelMask & (1UL << _model[node])) == 0)
        {
            throw new InvalidOperationException($"node {_names[node]}: GPU model {_models[_model[node]]} is not allowed by the request");
        }

        var gpus = _gpuFree.AsSpan(_gpuStart[node], _gpuCount[node]);
        for (ulong m = binding.GpuMask; m != 0; m &= m - 1)
        {
            if (gpus[BitOperations.TrailingZeroCount(m)] < request.GpuMilli)
            {
                throw new InvalidOperationException($"node {_names[node]}: GPU {BitOperations.TrailingZeroCount(m)} has less than {request.GpuMilli} milli free");
            }
        }

        _cpuFree[node] -= request.CpuMilli;
        _memoryFree[node] -= request.MemoryMib;
        for (ulong m = binding.GpuMask; m != 0; m &= m - 1)
        {
            gpus[BitOperations.TrailingZeroCount(m)] -= request.GpuMilli;
        }

        int taken = request.GpuCount * request.GpuMilli;
        _gpuFreeTotal[node] -= taken;
        GpuAllocatedMilli += taken;
    }

    /// <summary>Gives back what <see cref="Assign"/> took; throws and changes nothing if that would free more than the capacity.</summary>
    public void Release(Binding binding, in ResolvedRequest request)
    {
        int node = binding.Node;
        CheckBinding(binding, request);
        if (_cpuFree[node] + (long)request.CpuMilli > _cpuCapacity[node] || _memoryFree[node] + (long)request.MemoryMib > _memoryCapacity[node])
        {
            throw new InvalidOperationException($"node {_names[node]}: releasing more CPU or memory than it has");
        }

        var gpus = _gpuFree.AsSpan(_gpuStart[node], _gpuCount[node]);
        for (ulong m = binding.GpuMask; m != 0; m &= m - 1)
        {
            if (gpus[BitOperations.TrailingZeroCount(m)] + request.GpuMilli > PlacementRequest.WholeGpu)
            {
                throw new InvalidOperationException($"node {_names[node]}: releasing more than 1000 milli on GPU {BitOperations.TrailingZeroCount(m)}");
            }
        }

        _cpuFree[node] += request.CpuMilli;
        _memoryFree[node] += request.MemoryMib;
        for (ulong m = binding.GpuMask; m != 0; m &= m - 1)
        {
            gpus[BitOperations.TrailingZeroCount(m)] += request.GpuMilli;
        }

        int given = request.GpuCount * request.GpuMilli;
        _gpuFreeTotal[node] += given;
        GpuAllocatedMilli -= given;
    }

    private void CheckBinding(Binding binding, in ResolvedRequest request)
    {
        if ((uint)binding.Node >= (uint)NodeCount)
        {
            throw new ArgumentOutOfRangeException(nameof(binding), $"no node {binding.Node}");
        }

        if (binding.GpuCount != request.GpuCount)
        {
            throw new InvalidOperationException($"the binding names {binding.GpuCount} GPUs, the request needs {request.GpuCount}");
        }

        int gpus = _gpuCount[binding.Node];
        if (gpus < MaxGpusPerNode && (binding.GpuMask >> gpus) != 0)
        {
            throw new InvalidOperationException($"node {_names[binding.Node]} has {gpus} GPUs; the binding names one beyond");
        }
    }
}
