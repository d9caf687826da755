using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Tests.Remediation;

public sealed class CommandTemplateTests
{
    private static readonly CommandTemplate Route = CommandTemplate.Parse("ip route-static 0.0.0.0 0.0.0.0 {gateway:ipv4}");
    private static readonly CommandTemplate Port = CommandTemplate.Parse("ssh server port {port:ssh-port}");
    private static readonly CommandTemplate Vty = CommandTemplate.Parse("user-interface vty {first:int(0..63)} {last:int(0..63)}");

    private static Dictionary<string, string> Args(string key, string value) => new() { [key] = value };

    [Fact]
    public void TryRender_ValidIpv4_RendersExactCommand()
    {
        var r = Route.TryRender(Args("gateway", "10.12.0.1"));
        Assert.True(r.Succeeded);
        Assert.Equal("ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", r.Command.Text);
    }

    [Theory]
    [InlineData("10.12.0.256")]
    [InlineData("10.12.0")]
    [InlineData("10.12.0.1 ")]
    [InlineData("10.12.0.1\nreboot")]
    [InlineData("10.12.0.1; reboot")]
    [InlineData("010.12.0.1")]
    [InlineData("0x0a.12.0.1")]
    [InlineData("::1")]
    [InlineData("1")]
    [InlineData("")]
    public void TryRender_BadIpv4_Refused(string value)
    {
        var r = Route.TryRender(Args("gateway", value));
        Assert.False(r.Succeeded);
        Assert.NotEmpty(r.Errors);
    }

    [Theory]
    [InlineData("22")]
    [InlineData("1025")]
    [InlineData("65535")]
    public void TryRender_ValidSshPort_Renders(string value) => Assert.True(Port.TryRender(Args("port", value)).Succeeded);

    [Theory]
    [InlineData("23")]
    [InlineData("1024")]
    [InlineData("65536")]
    [InlineData("0")]
    [InlineData("-22")]
    [InlineData("+22")]
    [InlineData("022")]
    [InlineData("22 ")]
    [InlineData("22\n")]
    [InlineData("abc")]
    public void TryRender_BadSshPort_Refused(string value) => Assert.False(Port.TryRender(Args("port", value)).Succeeded);

    [Fact]
    public void TryRender_IntOutOfRange_Refused() =>
        Assert.False(Vty.TryRender(new Dictionary<string, string> { ["first"] = "0", ["last"] = "64" }).Succeeded);

    [Fact]
    public void TryRender_MissingParameter_Refused()
    {
        var r = Vty.TryRender(new Dictionary<string, string> { ["first"] = "0" });
        Assert.Contains(r.Errors, e => e.Contains("'last' is missing", StringComparison.Ordinal));
    }

    [Fact]
    public void TryRender_UnknownParameter_Refused() =>
        Assert.False(Route.TryRender(new Dictionary<string, string> { ["gateway"] = "10.0.0.1", ["extra"] = "x" }).Succeeded);

    [Theory]
    [InlineData("display {x:string}")]
    [InlineData("display {x}")]
    [InlineData("display {x:ipv4")]
    [InlineData("ping {a:ipv4} {a:ipv4}")]
    [InlineData("display\nreboot")]
    [InlineData("user {x:int(9..1)}")]
    public void Parse_MalformedTemplate_Throws(string pattern) => Assert.Throws<FormatException>(() => CommandTemplate.Parse(pattern));

    [Fact]
    public void Render_NoParameters_ReturnsLiteral() => Assert.Equal("save", CommandTemplate.Parse("save").Render().Text);
}
