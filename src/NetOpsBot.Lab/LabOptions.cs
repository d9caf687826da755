namespace NetOpsBot.Lab;

public sealed record LabOptions
{
    public required string RunDirectory { get; init; }

    public int AddressBlock { get; init; } = 1;

    public required Scenario Scenario { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Healthy access switches beyond the standard four (sw-access-15 and up), for load tests.</summary>
    public int ExtraAccessSwitches { get; init; }

    /// <summary>
    /// Use the .NET login shim even when a C compiler could build the native one (the native shim is the
    /// default: sshd starts one per login, and the .NET runtime's start-up cost the bot under test CPU).
    /// </summary>
    public bool DotNetVtyShim { get; init; }

    /// <summary>
    /// <see cref="LabNetworkMode.Namespaces"/> puts every switch and the jump host's subnet in network
    /// namespaces whose kernel routes follow the emulator (docs/LAB-NETWORK.md); needs root.
    /// <see cref="LabNetworkMode.Auto"/> (the default) takes them when this process can build them, else the loopback lab.
    /// </summary>
    public LabNetworkMode Network { get; init; } = LabNetworkMode.Auto;
}
