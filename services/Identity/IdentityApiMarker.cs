namespace Icp.Identity;

/// <summary>A type of this assembly for WebApplicationFactory (several services' Program classes meet in tests).</summary>
public sealed class IdentityApiMarker;
