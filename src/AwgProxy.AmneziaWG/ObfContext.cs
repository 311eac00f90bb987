namespace AwgProxy.AmneziaWG;

/// <summary>
/// What building one datagram may draw on besides its source bytes. amneziawg-go reads globals
/// (<c>crypto/rand.Reader</c>, <c>time.Now</c>); the port takes them from the caller, and the
/// caller also supplies the value of the <c>&lt;c&gt;</c> tag, which upstream does not implement.
/// </summary>
/// <param name="Random">Source of every random byte (<c>&lt;r&gt;</c>, <c>&lt;rc&gt;</c>, <c>&lt;rd&gt;</c>, junk, padding, headers).</param>
/// <param name="Time">Clock of the <c>&lt;t&gt;</c> tag: <c>GetUtcNow().ToUnixTimeSeconds()</c> reduced mod 2^32.</param>
/// <param name="DatagramsSent">
/// Value of the <c>&lt;c&gt;</c> tag: how many datagrams this endpoint has sent on the socket before
/// the one being built (it wraps at 2^32). <see cref="Device.Send.SendHandshakeInitiation"/> adds the
/// position of each I-packet within its burst, so there it is the count before the burst.
/// </param>
public readonly record struct ObfContext(IRandomSource Random, TimeProvider Time, uint DatagramsSent = 0);
