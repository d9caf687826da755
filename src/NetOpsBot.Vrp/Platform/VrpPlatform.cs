using NetOpsBot.Core.Access;
using NetOpsBot.Core.Platforms;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Remediation;

namespace NetOpsBot.Vrp.Platform;

/// <summary>Huawei VRP as a device platform: dialect, parsers, ssh-unreachable fact collectors, remediation templates and executor.</summary>
public sealed class VrpPlatform : IDevicePlatform, ISshUnreachablePlatform
{
    public const string PlatformId = "huawei-vrp";

    public static VrpPlatform Instance { get; } = new();

    public string Id => PlatformId;

    public IReadOnlyList<string> Aliases { get; } = ["vrp"];

    public IDeviceDialect Dialect => VrpDialect.Instance;

    public IReadOnlyList<string> ParserNames => VrpParsers.ParserNames;

    public IReadOnlyList<CommandTemplate> RemediationTemplates => SshUnreachableRemediations.Templates;

    public ISshUnreachableCollector SshUnreachable { get; } = new VrpSshUnreachable();

    public IRemediationExecutor? CreateRemediationExecutor(RemediationExecutorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new RemediationExecutor(context.Access, context.OpenSession, context.Time);
    }
}
