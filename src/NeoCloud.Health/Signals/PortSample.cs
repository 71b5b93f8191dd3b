namespace NeoCloud.Health.Signals;

/// <summary>One InfiniBand (or RoCE) port's counters at one scrape, cumulative as the HCA exports them.</summary>
public struct PortSample
{
    public bool Present;

    /// <summary>True when the port state is Active (up).</summary>
    public bool Up;

    public long LinkDowned;
    public long SymbolErrors;
    public long LinkErrorRecovery;
    public long LocalLinkIntegrityErrors;
    public long ExcessiveBufferOverrunErrors;
    public long PortRcvErrors;
    public long PortXmitDiscards;
    public long RnrNakRetryErrors;
}
