namespace NetOpsBot.Core.Devices;

/// <summary>
/// How long a rebooted device may take before the bot worries. Real access switches take 3 to 8 minutes to
/// answer on SSH again, chassis longer; a watch that gives up or reports trouble after a lab's few seconds
/// tells the on-call engineer something false.
/// </summary>
public static class BootTimes
{
    /// <summary>Upper bound for a VRP access switch (and anything the inventory does not say otherwise about).</summary>
    public static readonly TimeSpan AccessSwitchDefault = TimeSpan.FromMinutes(8);

    /// <summary>What the watch allows beyond the expected boot time before it declares the device lost.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    /// <summary>The device's own expected boot time, else its platform's default.</summary>
    public static TimeSpan Expected(DeviceRef device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return device.ExpectedBootTime is { } own && own > TimeSpan.Zero ? own : PlatformDefault(device.Platform);
    }

    /// <summary>Every platform the bot drives today is a VRP access switch; a chassis belongs in the inventory.</summary>
    public static TimeSpan PlatformDefault(string platform) => AccessSwitchDefault;

    /// <summary>
    /// The recovery deadline for this device: the configured one (default 15 min), stretched for a device
    /// expected to take longer than it allows with <see cref="Margin"/>.
    /// </summary>
    public static TimeSpan RecoveryDeadline(DeviceRef device, TimeSpan configured, bool followBootTime = true)
    {
        if (!followBootTime)
        {
            return configured;
        }

        var needed = Expected(device) + Margin;
        return needed > configured ? needed : configured;
    }
}
