using Microsoft.Extensions.Configuration;

namespace NetOpsBot.Architecture.Tests.Canaries;

// Deliberately wrong code the rules must catch (RulesCanFailTests): if a rule passes on these, it can pass on anything.

/// <summary>Uses a VRP parser type, as an adapter, Ssh or the lab must not.</summary>
internal static class UsesVrp
{
    public static bool LooksLikeAPrompt(string line) => NetOpsBot.Vrp.VrpPrompt.TryParse(line, out _);
}

/// <summary>Uses Ssh's type only through a nested, compiler-made type (an async state machine).</summary>
internal static class UsesSshInsideAsync
{
    public static async Task<string> DescribeAsync()
    {
        await Task.Yield();
        return typeof(NetOpsBot.Ssh.HostKeyVerdict).Name;
    }
}

/// <summary>Uses Core and nothing forbidden for an adapter.</summary>
internal static class UsesCoreOnly
{
    public static string Describe() => typeof(NetOpsBot.Core.Devices.DeviceName).Name;
}

/// <summary>Reads a configuration file, as only a composition root may.</summary>
internal static class ReadsAConfigurationFile
{
    public static IConfigurationBuilder Add(IConfigurationBuilder builder) => builder.AddJsonFile("canary.json", optional: true);
}
