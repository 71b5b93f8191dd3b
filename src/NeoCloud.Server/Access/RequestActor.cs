using NeoCloud.Kernel.Audit;

namespace NeoCloud.Server.Access;

/// <summary>Who a request acts as, for the audit log and the records it changes.</summary>
public static class RequestActor
{
    /// <summary>
    /// The actor a request names (<c>kind:name</c>), else its authenticated principal, else <c>person:anonymous</c>.
    /// Until bearer tokens land the caller may name itself; then the authenticated principal must win.
    /// </summary>
    public static Actor Of(string? named, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!string.IsNullOrWhiteSpace(named))
        {
            return Actor.Parse(named.Trim());
        }

        return http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? Actor.Person(name) : Actor.Person("anonymous");
    }
}
