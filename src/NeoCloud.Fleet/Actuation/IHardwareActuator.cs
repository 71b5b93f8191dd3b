using NeoCloud.Plugins.Lifecycle;

namespace NeoCloud.Fleet.Actuation;

/// <summary>An actuator plugin: carries out hardware actions. The twin's acts on simulated hardware; BMC/Redfish ones come later.</summary>
public interface IHardwareActuator : IPlugin
{
    IReadOnlySet<HardwareAction> Supported { get; }

    Task<ActuationResult> ExecuteAsync(ActuationRequest request, CancellationToken cancellationToken);
}
