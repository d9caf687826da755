using NetOpsBot.Core.Access;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Platforms;

/// <summary>
/// One device platform (issue 16, seam 2): its CLI dialect, its parsers, its fact collectors for the runbooks and
/// its remediation templates. Chosen by <see cref="Devices.DeviceRef.Platform"/> through <see cref="DevicePlatforms"/>.
/// </summary>
public interface IDevicePlatform
{
    /// <summary>The inventory's platform id ("huawei-vrp", "cisco-iosxe").</summary>
    string Id { get; }

    /// <summary>Other spellings the inventory may use for the same platform ("vrp").</summary>
    IReadOnlyList<string> Aliases { get; }

    IDeviceDialect Dialect { get; }

    /// <summary>The names of the command parsers this platform has (for <c>netopsbot parse</c> and the docs).</summary>
    IReadOnlyList<string> ParserNames { get; }

    /// <summary>Every template a remediation on this platform may render: nothing else is ever typed into a device.</summary>
    IReadOnlyList<CommandTemplate> RemediationTemplates { get; }

    /// <summary>
    /// The executor of approved plans on this platform (only its own templates, its own questions answered, its own
    /// read-backs); null when this platform's plans are carried out by people. Chosen per device by
    /// <see cref="PlatformRemediationExecutor"/>.
    /// </summary>
    IRemediationExecutor? CreateRemediationExecutor(RemediationExecutorContext context);
}
