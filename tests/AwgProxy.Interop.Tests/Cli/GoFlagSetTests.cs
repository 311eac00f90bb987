using AwgProxy.Interop.Cli;

namespace AwgProxy.Interop.Tests.Cli;

public class GoFlagSetTests
{
    private sealed class Values
    {
        public string Name { get; set; } = "default";

        public long Count { get; set; } = 1;

        public bool Flag { get; set; }

        public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(30);
    }

    private static (GoFlagSet Set, Values Values) Create()
    {
        var values = new Values();
        var set = new GoFlagSet("test");
        set.AddString("name", "a name", values.Name, v => values.Name = v);
        set.AddInt64("count", "a count", values.Count, v => values.Count = v);
        set.AddBool("flag", "a switch", false, v => values.Flag = v);
        set.AddDuration("wait", "a duration", values.Wait, v => values.Wait = v);
        return (set, values);
    }

    [Theory]
    [InlineData("-name", "x")]
    [InlineData("-name=x")]
    [InlineData("--name", "x")]
    [InlineData("--name=x")]
    public void ValueFlag_AcceptsAllGoForms(params string[] args)
    {
        (GoFlagSet set, Values values) = Create();
        Assert.Equal(GoFlagParseStatus.Ok, set.Parse(args).Status);
        Assert.Equal("x", values.Name);
    }

    [Fact]
    public void ValueFlag_TakesNextArgumentEvenIfItLooksLikeAFlag()
    {
        (GoFlagSet set, Values values) = Create();
        Assert.Equal(GoFlagParseStatus.Ok, set.Parse(["-name", "-flag"]).Status);
        Assert.Equal("-flag", values.Name);
        Assert.False(values.Flag);
    }

    [Fact]
    public void EqualsForm_KeepsFurtherEqualsSignsInTheValue()
    {
        (GoFlagSet set, Values values) = Create();
        Assert.Equal(GoFlagParseStatus.Ok, set.Parse(["-name=a=b"]).Status);
        Assert.Equal("a=b", values.Name);
    }

    [Theory]
    [InlineData("-flag", true)]
    [InlineData("-flag=true", true)]
    [InlineData("-flag=1", true)]
    [InlineData("-flag=T", true)]
    [InlineData("-flag=false", false)]
    [InlineData("-flag=0", false)]
    [InlineData("--flag=F", false)]
    public void BoolFlag_AcceptsBareAndEqualsForms(string arg, bool expected)
    {
        (GoFlagSet set, Values values) = Create();
        Assert.Equal(GoFlagParseStatus.Ok, set.Parse(["-flag=true", arg]).Status);
        Assert.Equal(expected, values.Flag);
    }

    [Fact]
    public void BoolFlag_DoesNotConsumeTheNextArgument()
    {
        (GoFlagSet set, Values values) = Create();
        GoFlagParseResult result = set.Parse(["-flag", "false", "-count", "5"]);
        Assert.Equal(GoFlagParseStatus.Ok, result.Status);
        Assert.True(values.Flag);
        Assert.Equal(1, values.Count);
        Assert.Equal(["false", "-count", "5"], result.Remaining);
    }

    [Fact]
    public void DoubleDash_EndsFlags()
    {
        (GoFlagSet set, Values values) = Create();
        GoFlagParseResult result = set.Parse(["-count", "3", "--", "-name", "x"]);
        Assert.Equal(3, values.Count);
        Assert.Equal("default", values.Name);
        Assert.Equal(["-name", "x"], result.Remaining);
    }

    [Fact]
    public void LoneDash_IsAnArgumentNotAFlag()
    {
        (GoFlagSet set, _) = Create();
        Assert.Equal(["-"], set.Parse(["-"]).Remaining);
    }

    [Fact]
    public void LaterOccurrence_Wins()
    {
        (GoFlagSet set, Values values) = Create();
        set.Parse(["-count", "1", "-count=7"]);
        Assert.Equal(7, values.Count);
    }

    [Fact]
    public void Duration_ParsesGoSyntax()
    {
        (GoFlagSet set, Values values) = Create();
        Assert.Equal(GoFlagParseStatus.Ok, set.Parse(["-wait", "1m30s"]).Status);
        Assert.Equal(TimeSpan.FromSeconds(90), values.Wait);
    }

    [Theory]
    [InlineData("flag provided but not defined: -bogus", "-bogus")]
    [InlineData("flag needs an argument: -count", "-count")]
    [InlineData("invalid value \"abc\" for flag -count: parse error", "-count", "abc")]
    [InlineData("invalid value \"99999999999999999999\" for flag -count: value out of range", "-count=99999999999999999999")]
    [InlineData("invalid value \"10\" for flag -wait: parse error", "-wait", "10")]
    [InlineData("invalid boolean value \"yes\" for -flag: parse error", "-flag=yes")]
    [InlineData("bad flag syntax: ---x", "---x")]
    [InlineData("bad flag syntax: -=x", "-=x")]
    public void BadFlags_ReportGoMessages(string message, params string[] args)
    {
        (GoFlagSet set, _) = Create();
        GoFlagParseResult result = set.Parse(args);
        Assert.Equal(GoFlagParseStatus.Error, result.Status);
        Assert.Equal(message, result.Error);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("-help")]
    [InlineData("--help")]
    public void HelpFlags_RequestUsage(string arg)
    {
        (GoFlagSet set, _) = Create();
        Assert.Equal(GoFlagParseStatus.Help, set.Parse([arg]).Status);
    }

    [Fact]
    public void Usage_ListsFlagsSortedWithTypesAndDefaults()
    {
        (GoFlagSet set, _) = Create();
        var writer = new StringWriter();
        set.WriteUsage(writer);
        string expected =
            "Usage of test:\n" +
            "  -count int\n    \ta count (default 1)\n" +
            "  -flag\n    \ta switch\n" +
            "  -name string\n    \ta name (default \"default\")\n" +
            "  -wait duration\n    \ta duration (default 30s)\n";
        Assert.Equal(expected, writer.ToString());
    }
}
