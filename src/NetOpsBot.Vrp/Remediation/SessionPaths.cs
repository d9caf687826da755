using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;

namespace NetOpsBot.Vrp.Remediation;

/// <summary>The thread's words for the path a fix runs on.</summary>
internal static class SessionPaths
{
    public static string Describe(DeviceRef device, AccessPath path) => path.Kind == AccessPathKind.Console
        ? $"Connected to {device.Name} over the console{(device.Console is { } c ? $" ({c.Server} port {c.Port.ToString(CultureInfo.InvariantCulture)})" : string.Empty)}: no SSH port of the device gave a session"
        : $"Connected to {device.Name} over SSH port {path.Port!.Value.ToString(CultureInfo.InvariantCulture)}";
}
