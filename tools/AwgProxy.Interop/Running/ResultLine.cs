using System.Globalization;

namespace AwgProxy.Interop.Running;

/// <summary>
/// The client's last line, which test scripts parse:
/// <code>
/// RESULT ok bytes=N sha256=HEX MiB_per_s=X      HEX: 64 lowercase hex digits ("-" with -hash=false), X: one decimal
/// RESULT fail REASON                            REASON: one line of text
/// </code>
/// </summary>
public static class ResultLine
{
    /// <param name="bytes">Payload bytes moved.</param>
    /// <param name="sha256">Their SHA-256, or empty when they were not hashed (printed as <c>-</c>).</param>
    /// <param name="mebibytesPerSecond">The transfer rate.</param>
    public static string Ok(long bytes, ReadOnlySpan<byte> sha256, double mebibytesPerSecond) =>
        string.Create(CultureInfo.InvariantCulture, $"RESULT ok bytes={bytes} sha256={(sha256.IsEmpty ? "-" : Convert.ToHexStringLower(sha256))} MiB_per_s={FormatRate(mebibytesPerSecond)}");

    public static string Fail(string reason)
    {
        string oneLine = string.Join(' ', reason.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return "RESULT fail " + (oneLine.Length == 0 ? "unknown error" : oneLine);
    }

    /// <summary>Bytes/2^20 per second of transfer; 0 when there was nothing to measure.</summary>
    public static double MebibytesPerSecond(long bytes, TimeSpan elapsed) =>
        bytes <= 0 || elapsed <= TimeSpan.Zero ? 0 : bytes / 1048576.0 / elapsed.TotalSeconds;

    /// <summary>One decimal, like Go's <c>%.1f</c>.</summary>
    public static string FormatRate(double value) =>
        double.IsFinite(value) ? value.ToString("F1", CultureInfo.InvariantCulture) : "0.0";
}
