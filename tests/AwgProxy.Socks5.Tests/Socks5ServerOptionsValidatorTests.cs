using System.Net;
using Microsoft.Extensions.Options;

namespace AwgProxy.Socks5.Tests;

public class Socks5ServerOptionsValidatorTests
{
    private static Socks5ServerOptions ValidOptions()
    {
        var options = new Socks5ServerOptions();
        options.Users.Add(new Socks5User { UserName = "alice", Password = "secret-one" });
        return options;
    }

    [Fact]
    public void DefaultsWithOneUser_AreValid()
    {
        Assert.Empty(Socks5ServerOptionsValidator.GetFailures(ValidOptions()));
        Assert.True(new Socks5ServerOptionsValidator().Validate(null, ValidOptions()).Succeeded);
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new Socks5ServerOptions();
        Assert.Equal(TimeSpan.FromSeconds(10), options.HandshakeTimeout);
        Assert.Null(options.IdleTimeout);
        Assert.Empty(options.ListenEndPoints);
        Assert.Equal("127.0.0.1:1080", Socks5ServerDefaults.ListenEndPoint);
    }

    [Fact]
    public void EveryProblem_IsReportedInOnePass()
    {
        var options = new Socks5ServerOptions
        {
            HandshakeTimeout = TimeSpan.Zero,
            ConnectTimeout = TimeSpan.FromDays(2),
            IdleTimeout = TimeSpan.FromSeconds(-1),
            MaxConcurrentSessions = 0,
            RelayBufferSize = 100,
            ListenBacklog = 0,
        };
        options.ListenEndPoints.Add("localhost:1080");
        options.ListenEndPoints.Add("127.0.0.1:1080");
        options.ListenEndPoints.Add("127.0.0.1:1080");
        options.Users.Add(new Socks5User { UserName = "", Password = "x" });
        options.Users.Add(new Socks5User { UserName = "bob", Password = "" });
        options.Users.Add(new Socks5User { UserName = "bob", Password = "y" });
        options.Users.Add(new Socks5User { UserName = new string('n', 256), Password = "z" });

        IReadOnlyList<string> failures = Socks5ServerOptionsValidator.GetFailures(options);

        Assert.Equal(12, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("ListenEndPoints[0] 'localhost:1080'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ListenEndPoints[2] '127.0.0.1:1080' is listed more than once", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Users[0].UserName", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Users[1].Password of 'bob'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Users[2].UserName 'bob' is used by more than one user", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Users[3].UserName", StringComparison.Ordinal) && f.Contains("has 256", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("HandshakeTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ConnectTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("IdleTimeout", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("MaxConcurrentSessions is 0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("RelayBufferSize is 100", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("ListenBacklog is 0", StringComparison.Ordinal));
        ValidateOptionsResult result = new Socks5ServerOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Equal(12, result.Failures!.Count());
    }

    [Fact]
    public void NoUsers_IsAnErrorBecauseAnonymousAccessIsNotOffered()
    {
        string failure = Assert.Single(Socks5ServerOptionsValidator.GetFailures(new Socks5ServerOptions()));
        Assert.Contains("at least one user", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_NeverContainPasswords()
    {
        Socks5ServerOptions options = ValidOptions();
        options.Users.Add(new Socks5User { UserName = "alice", Password = "do-not-print-me" });
        options.Users.Add(new Socks5User { UserName = "carol", Password = new string('p', 300) });

        IReadOnlyList<string> failures = Socks5ServerOptionsValidator.GetFailures(options);

        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.DoesNotContain("do-not-print-me", f, StringComparison.Ordinal));
        Assert.All(failures, f => Assert.DoesNotContain("ppppp", f, StringComparison.Ordinal));
    }

    [Fact]
    public void User_ToStringHidesThePassword()
    {
        Assert.Equal("alice", new Socks5User { UserName = "alice", Password = "secret" }.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:1080", "127.0.0.1", 1080)]
    [InlineData("0.0.0.0:0", "0.0.0.0", 0)]
    [InlineData("[::1]:1080", "::1", 1080)]
    [InlineData("[::]:65535", "::", 65535)]
    public void ListenEndPoint_ParsesIPLiteralsWithPort(string text, string address, int port)
    {
        Assert.True(Socks5ServerOptions.TryParseEndPoint(text, out IPEndPoint endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1080")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("localhost:1080")]
    [InlineData("::1:1080")]
    [InlineData("[127.0.0.1]:1080")]
    [InlineData("[::1:1080")]
    public void ListenEndPoint_RejectsAnythingElse(string text)
    {
        Assert.False(Socks5ServerOptions.TryParseEndPoint(text, out _));
    }
}
