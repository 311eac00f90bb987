using System.Net;
using Microsoft.Extensions.Logging;

namespace AwgProxy.Cli.Configuration;

/// <summary>
/// A validated config in typed form, what a role runner receives. Owns the private key(s): dispose
/// it when the role has stopped.
/// </summary>
public interface IResolvedConfig : IDisposable
{
    /// <summary>The command's name: client, server or demo.</summary>
    string RoleName { get; }

    /// <summary>The config file (for demo, the directory holding both files).</summary>
    string SourcePath { get; }

    /// <summary>Minimum log level: <c>LOG_LEVEL</c> if set, else <c>[Log] Level</c>.</summary>
    LogLevel LogLevel { get; }

    /// <summary>Where to serve Prometheus metrics; null = nowhere.</summary>
    IPEndPoint? MetricsListen { get; }

    /// <summary>The one-line start-up summary, free of secrets (<see cref="ConfigSummary"/>).</summary>
    string Summary { get; }
}
