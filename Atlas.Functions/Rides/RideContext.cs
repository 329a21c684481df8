using Atlas.Core.Rides;
using Atlas.Functions.Auth;
using Atlas.Functions.Http;
using Atlas.Functions.Lifecycles;
using Microsoft.Extensions.Options;

namespace Atlas.Functions.Rides;

/// <summary>What every ride function needs: the lifecycle, its rules, and who the caller is to the ride.</summary>
public sealed class RideContext(Lifecycle<Ride, RideCommand> rides, RideDecider rules, IOptions<RideOptions> options)
{
    public RideDecider Rules => rules;

    /// <param name="fresh">Read storage; otherwise this process's last write will do for deciding who the caller is
    /// (the parties never change), and the command itself decides on fresh state.</param>
    public async Task<(Ride Ride, RideViewer Viewer)?> FindAsync(string rideId, Caller caller, bool fresh, CancellationToken ct)
    {
        if (!LifecycleKeys.IsValidId(rideId))
        {
            return null;
        }

        var (ride, _) = await rides.GetAsync(rideId, ct, cachedIsEnough: !fresh);
        return ride.Status != RideStatus.None && RideViews.ViewerOf(caller, ride) is var viewer and not RideViewer.None ? (ride, viewer) : null;
    }

    public RideView Show(string rideId, Ride ride, RideViewer viewer) => RideViews.Show(rideId, ride, viewer, rules, options.Value.EtaSpeedKmh);

    /// <summary>A command only the ride's own driver may give; anyone else gets 404.</summary>
    public async Task<IResult> DriveAsync(
        string rideId, Caller caller, RideCommand command, CancellationToken ct, Func<CommandResult<Ride>, RideView, IResult>? success = null) =>
        await FindAsync(rideId, caller, fresh: false, ct) is { Viewer: RideViewer.Driver }
            ? await ExecuteAsync(rideId, RideViewer.Driver, command, ct, success)
            : Problems.NotFound($"Ride '{rideId}'");

    public async Task<IResult> ExecuteAsync(
        string rideId, RideViewer viewer, RideCommand command, CancellationToken ct, Func<CommandResult<Ride>, RideView, IResult>? success = null)
    {
        var result = await rides.ExecuteAsync(rideId, command, ct);
        return Problems.For(result, r =>
        {
            var view = Show(rideId, r.State, viewer);
            return success?.Invoke(r, view) ?? Results.Ok(view);
        });
    }
}
