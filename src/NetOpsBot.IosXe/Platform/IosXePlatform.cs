using NetOpsBot.Core.Access;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;
using NetOpsBot.IosXe.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Platform;

/// <summary>Cisco IOS-XE as a device platform: dialect, parsers, ssh-unreachable fact collectors, remediation templates and executor.</summary>
public sealed class IosXePlatform : IDevicePlatform, ISshUnreachablePlatform
{
    public const string PlatformId = "cisco-iosxe";

    public static IosXePlatform Instance { get; } = new();

    public string Id => PlatformId;

    public IReadOnlyList<string> Aliases { get; } = ["iosxe", "cisco-ios-xe"];

    public IDeviceDialect Dialect => IosXeDialect.Instance;

    public IReadOnlyList<string> ParserNames => IosXeParsers.ParserNames;

    public IReadOnlyList<CommandTemplate> RemediationTemplates => IosXeCommandTemplates.All;

    public ISshUnreachableCollector SshUnreachable { get; } = new IosXeSshUnreachable();

    public IRemediationExecutor? CreateRemediationExecutor(RemediationExecutorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new IosXeRemediationExecutor(context.Access, context.OpenSession, context.Time);
    }
}
