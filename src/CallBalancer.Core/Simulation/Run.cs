using CallBalancer.Core.Balancing;
using CallBalancer.Core.Telephony;

namespace CallBalancer.Core.Simulation;

/// <summary>The state of one simulated day (see <see cref="ContactCentreSimulator"/>).</summary>
internal sealed class Run
{
    private const byte ServiceEnd = 0;
    private const byte Abandon = 1;
    private const byte Tick = 2;
    private const byte Capture = 3;
    private const byte Slot = 4;
    private const byte Boundary = 5;
    private const byte Resolved = 6;

    private const byte Off = 0;
    private const byte Idle = 1;
    private const byte Busy = 2;

    private const byte Waiting = 0;
    private const byte Served = 1;
    private const byte Abandoned = 2;

    private readonly SimulationDay _day;
    private readonly ISimulatedPolicy _policy;
    private readonly SimulationOptions _o;
    private readonly QueueSettings _settings;
    private readonly DateTimeOffset _midnight;

    // What the offer hold judges with: the policy's settings with the reserve of its latest decision (the quiet-queue
    // rule, ModePolicy.OfferHoldReserve), as the offers endpoint applies it.
    private QueueSettings _holdSettings;
    private readonly PriorityQueue<(byte Kind, int Arg), (double Time, long Seq)> _events = new();
    private long _seq;

    // Calls.
    private readonly double[] _arrival;
    private readonly double[] _service;
    private readonly double[] _patience;
    private readonly double[] _pitch;
    private readonly bool[] _eligible;
    private readonly bool[] _accepts;
    private readonly byte[] _callState;
    private readonly int[] _queue;
    private int _queueHead;
    private int _queueTail;
    private int _waiting;

    // Agents.
    private readonly int _agentCount;
    private readonly string[] _ids;
    private readonly byte[] _state;
    private readonly bool[] _leaving;
    private readonly int[] _idleStamp;
    private readonly int[] _callOf;
    private readonly AgentMode[] _mode;
    private readonly AgentMode?[] _pending;
    private readonly double[] _since;
    private readonly AgentModeState[] _modeState;
    private readonly AgentPresence[] _presenceAvailable;
    private readonly AgentPresence[] _presenceOnCall;
    private readonly Dictionary<string, int> _index;
    private readonly Queue<(int Agent, int Stamp)> _idleQueue = new();
    private readonly int[] _offers;
    private readonly int[] _acceptances;
    private readonly Dictionary<string, AgentCrossSellStats> _stats = new(StringComparer.Ordinal);
    private int _loggedIn;
    private int _idleCount;
    private int _crossSellCount;

    // Policy view.
    private QueueSnapshot? _captured;
    private int _capturedIdle;
    private bool[]? _idleAtCapture;
    private readonly bool _holdsOffers;
    private int _heldOffers;
    private IReadOnlyList<ForecastInterval>? _forecast;
    private IIntradayForecaster? _forecaster;

    // Results.
    private readonly int[] _hhOffered = new int[48];
    private readonly int[] _hhWithin = new int[48];
    private readonly int[] _hhAbandoned = new int[48];

    private bool _probed; // the sensitivity probe has lengthened its call (SimulationOptions.ProbeAtSeconds)

    // The service-level guard's view: the current clock half-hour's counts so far, each event in the half-hour it happened
    // in, as the interval store keeps them for the offers endpoint.
    private int _guardHalfHour = -1;
    private IntervalCounts _guardCounts;
    private double? _worstHalfHourSoFar; // the day's worst completed half-hour, as OfferHold.WorstHalfHour counts it
    private IntervalCounts _daySoFar; // the day's completed half-hours, summed (the day's room)
    private readonly int[] _hhOffers = new int[48];
    private readonly double[] _hhStaffedSum = new double[48];
    private readonly double[] _hhCrossSum = new double[48];
    private readonly int[] _hhTicks = new int[48];
    private int _answered;
    private int _within;
    private int _abandoned;
    private int _offersTotal;
    private int _acceptedTotal;
    private int _flips;
    private int _policyRuns;
    private double _agentSeconds;
    private double _lastLoginChange;
    private readonly double _dayStart;
    private readonly double _dayEnd;

    public Run(SimulationDay day, ISimulatedPolicy policy, SimulationOptions options)
    {
        _day = day;
        _policy = policy;
        _o = options;
        _settings = ContactCentreSimulator.SettingsFor(options, day.ServiceTimes, day.Staffing.Peak);
        _holdSettings = _settings;
        _midnight = new DateTimeOffset(day.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        _dayStart = day.IntervalOffsets.Count > 0 ? day.IntervalOffsets[0] : 0;
        _dayEnd = day.EndSeconds;

        var random = new Random(options.Seed);
        _arrival = ArrivalTimes(day, random);
        var n = _arrival.Length;
        _service = new double[n];
        _patience = new double[n];
        _pitch = new double[n];
        _eligible = new bool[n];
        _accepts = new bool[n];
        _callState = new byte[n];
        _queue = new int[n];
        for (var c = 0; c < n; c++)
        {
            _service[c] = day.ServiceTimes.Sample(random);
            _patience[c] = -options.PatienceMeanSeconds * Math.Log(1.0 - random.NextDouble());
            _eligible[c] = random.NextDouble() < options.EligibleShare;
            _pitch[c] = -options.PitchMeanSeconds * Math.Log(1.0 - random.NextDouble());
            _accepts[c] = random.NextDouble() < options.AcceptanceProbability;
        }

        _holdsOffers = policy.HoldsOffers && _settings.OfferHold;
        _agentCount = Math.Max(1, day.Staffing.Peak);
        _ids = new string[_agentCount];
        _state = new byte[_agentCount];
        _leaving = new bool[_agentCount];
        _idleStamp = new int[_agentCount];
        _callOf = new int[_agentCount];
        _mode = new AgentMode[_agentCount];
        _pending = new AgentMode?[_agentCount];
        _since = new double[_agentCount];
        _modeState = new AgentModeState[_agentCount];
        _presenceAvailable = new AgentPresence[_agentCount];
        _presenceOnCall = new AgentPresence[_agentCount];
        _offers = new int[_agentCount];
        _acceptances = new int[_agentCount];
        _index = new Dictionary<string, int>(_agentCount, StringComparer.Ordinal);
        for (var a = 0; a < _agentCount; a++)
        {
            _ids[a] = ContactCentreSimulator.AgentId(a);
            _index[_ids[a]] = a;
            _presenceAvailable[a] = new AgentPresence(_ids[a], AgentState.Available);
            _presenceOnCall[a] = new AgentPresence(_ids[a], AgentState.OnCall);
        }
    }

    private static double[] ArrivalTimes(SimulationDay day, Random random)
    {
        if (day.ArrivalTimes is { } given)
        {
            var list = new List<double>(given.Count);
            foreach (var t in given)
            {
                if (t >= day.IntervalOffsets[0] && t < day.EndSeconds)
                {
                    list.Add(t);
                }
            }

            list.Sort();
            return [.. list];
        }

        var total = 0;
        foreach (var c in day.Counts)
        {
            total += c;
        }

        var times = new double[total];
        var k = 0;
        for (var i = 0; i < day.Counts.Count; i++)
        {
            var from = k;
            for (var j = 0; j < day.Counts[i]; j++)
            {
                times[k++] = day.IntervalOffsets[i] + random.NextDouble() * day.IntervalSeconds;
            }

            Array.Sort(times, from, k - from);
        }

        return times;
    }

    public SimulationResult Execute()
    {
        if (_policy.Forecast == ForecastSource.Intraday)
        {
            _forecaster = _day.Forecaster?.Invoke();
        }

        // Staffing changes at every slot boundary of the day.
        var slotSeconds = _day.Staffing.SlotSeconds;
        for (var s = (int)Math.Floor(_dayStart / slotSeconds); s * (double)slotSeconds < _dayEnd; s++)
        {
            Schedule(Math.Max(_dayStart, s * (double)slotSeconds), Slot, s);
        }

        for (var i = 0; i < _day.IntervalOffsets.Count; i++)
        {
            Schedule(_day.IntervalOffsets[i], Boundary, i);
        }

        for (var t = _dayStart + _o.PolicyIntervalSeconds; t < _dayEnd; t += _o.PolicyIntervalSeconds)
        {
            if (_o.SnapshotLagSeconds > 0)
            {
                Schedule(Math.Max(_dayStart, t - _o.SnapshotLagSeconds), Capture, 0);
            }

            Schedule(t, Tick, 0);
        }

        var next = 0;
        var now = _dayStart;
        _lastLoginChange = _dayStart;
        while (true)
        {
            var hasEvent = _events.TryPeek(out var ev, out var key);
            var hasArrival = next < _arrival.Length;
            if (!hasEvent && !hasArrival)
            {
                break;
            }

            if (hasArrival && (!hasEvent || _arrival[next] < key.Time))
            {
                now = _arrival[next];
                if (!_o.Drain && now >= _dayEnd)
                {
                    break;
                }

                Arrive(next++, now);
                continue;
            }

            now = key.Time;
            if (!_o.Drain && now >= _dayEnd)
            {
                break;
            }

            _events.Dequeue();
            switch (ev.Kind)
            {
                case ServiceEnd:
                    EndService(ev.Arg, now);
                    break;
                case Resolved:
                    Resolve(ev.Arg, now);
                    break;
                case Abandon:
                    if (_callState[ev.Arg] == Waiting)
                    {
                        _callState[ev.Arg] = Abandoned;
                        _waiting--;
                        _abandoned++;
                        _hhAbandoned[HalfHour(_arrival[ev.Arg])]++;
                        CountForGuard(now, IntervalCounts.Zero with { Abandoned = 1 });
                    }

                    break;
                case Tick:
                    OnTick(now);
                    break;
                case Capture:
                    _captured = Snapshot(now);
                    CaptureIdle();
                    break;
                case Slot:
                    Restaff(_day.Staffing.AgentsAt(ev.Arg * (double)_day.Staffing.SlotSeconds), now);
                    break;
                case Boundary:
                    OnBoundary(ev.Arg);
                    break;
            }
        }

        AccumulateAgentTime(Math.Min(now, _dayEnd));
        if (_lastLoginChange < _dayEnd)
        {
            AccumulateAgentTime(_dayEnd);
        }

        return Result(next);
    }

    private void Schedule(double time, byte kind, int arg) => _events.Enqueue((kind, arg), (time, _seq++));

    private static int HalfHour(double t) => Math.Clamp((int)(t / 1800), 0, 47);

    private void CountForGuard(double now, IntervalCounts counts)
    {
        var hh = HalfHour(now);
        if (hh != _guardHalfHour)
        {
            if (_guardHalfHour >= 0 && OfferHold.WorstHalfHour([_guardCounts]) is { } completed)
            {
                _worstHalfHourSoFar = Math.Min(_worstHalfHourSoFar ?? 1, completed);
            }

            _daySoFar += _guardCounts;

            _guardHalfHour = hh;
            _guardCounts = IntervalCounts.Zero;
        }

        _guardCounts += counts;
    }

    private void Arrive(int call, double now)
    {
        _hhOffered[HalfHour(now)]++;
        var agent = PopLongestIdle();
        if (agent >= 0)
        {
            StartService(agent, call, now);
            return;
        }

        _callState[call] = Waiting;
        _queue[_queueTail++] = call;
        _waiting++;
        Schedule(now + _patience[call], Abandon, call);
    }

    private int PopLongestIdle()
    {
        while (_idleQueue.Count > 0)
        {
            var (a, stamp) = _idleQueue.Dequeue();
            if (_state[a] == Idle && _idleStamp[a] == stamp)
            {
                _idleCount--;
                return a;
            }
        }

        return -1;
    }

    private void MakeIdle(int agent)
    {
        _state[agent] = Idle;
        _idleStamp[agent]++;
        _idleQueue.Enqueue((agent, _idleStamp[agent]));
        _idleCount++;
    }

    private void StartService(int agent, int call, double now)
    {
        _state[agent] = Busy;
        _callState[call] = Served;
        _answered++;
        var wait = now - _arrival[call];
        CountForGuard(now, new IntervalCounts(0, 1, 0, 1, wait <= _o.TargetSeconds ? 1 : 0, wait, 0, 0));
        if (wait <= _o.TargetSeconds)
        {
            _within++;
            _hhWithin[HalfHour(_arrival[call])]++;
        }

        var duration = _service[call];
        if (!_probed && _o.ProbeAtSeconds is { } probeAt && now >= probeAt)
        {
            _probed = true;
            duration += _o.ProbeSeconds;
        }

        if (_mode[agent] == AgentMode.CrossSell && _eligible[call])
        {
            if (_holdsOffers && _o.OfferAtResolution)
            {
                // The desktop asks for offers once the request is resolved: the hold is judged then.
                _callOf[agent] = call;
                Schedule(now + duration, Resolved, agent);
                return;
            }

            if (!HoldOffer(agent, now))
            {
                duration += Pitch(agent, call, now);
            }
        }

        Schedule(now + duration, ServiceEnd, agent);
    }

    /// <summary>The request of a cross-seller's eligible call is resolved: pitch unless the hold (or an emergency) says not.</summary>
    private void Resolve(int agent, double now)
    {
        if (_mode[agent] == AgentMode.CrossSell && !HoldOffer(agent, now))
        {
            Schedule(now + Pitch(agent, _callOf[agent], now), ServiceEnd, agent);
        }
        else
        {
            EndService(agent, now);
        }
    }

    /// <summary>Counts an offer made now on <paramref name="call"/> and returns its pitch time.</summary>
    private double Pitch(int agent, int call, double now)
    {
        _offersTotal++;
        _offers[agent]++;
        _hhOffers[HalfHour(now)]++;
        if (_accepts[call])
        {
            _acceptedTotal++;
            _acceptances[agent]++;
        }

        _stats[_ids[agent]] = new AgentCrossSellStats(_offers[agent], _acceptances[agent]);
        return _pitch[call];
    }

    /// <summary>
    /// The product's offer hold for an offer <paramref name="agent"/> would make now (at the request's resolution, or at
    /// the answer with <see cref="SimulationOptions.OfferAtResolution"/> false), on what the offers endpoint would read:
    /// the latest (lagged) snapshot, or the live queue when snapshots are not lagged, and the current half-hour's counts
    /// so far for the service-level guard (live: the telephony events reach the interval store within seconds).
    /// </summary>
    private bool HoldOffer(int agent, double now)
    {
        if (!_holdsOffers)
        {
            return false;
        }

        int waiting, otherIdle;
        if (_captured is not null && _idleAtCapture is not null)
        {
            waiting = _captured.WaitingCalls;
            otherIdle = _capturedIdle - (_idleAtCapture[agent] ? 1 : 0);
        }
        else
        {
            waiting = _waiting;
            otherIdle = _idleCount; // the answering agent has already left the idle line
        }

        var halfHour = HalfHour(now) == _guardHalfHour ? _guardCounts : IntervalCounts.Zero;
        var hold = _holdSettings.WithOfferHoldReserve(OfferHold.EasedReserve(_holdSettings, halfHour, _worstHalfHourSoFar));
        if (OfferHold.Reason(waiting, otherIdle, hold, halfHour) is null)
        {
            return false;
        }

        _heldOffers++;
        return true;
    }

    private void CaptureIdle()
    {
        if (!_holdsOffers)
        {
            return;
        }

        _idleAtCapture ??= new bool[_agentCount];
        for (var a = 0; a < _agentCount; a++)
        {
            _idleAtCapture[a] = _state[a] == Idle;
        }

        _capturedIdle = _idleCount;
    }

    private void EndService(int agent, double now)
    {
        if (_pending[agent] is { } p)
        {
            _pending[agent] = null;
            SetMode(agent, p, now, "The pending mode took effect when the call ended.", _modeState[agent].DecisionId);
        }

        if (_leaving[agent])
        {
            _leaving[agent] = false;
            Logout(agent, now);
            return;
        }

        while (_queueHead < _queueTail)
        {
            var call = _queue[_queueHead++];
            if (_callState[call] == Waiting)
            {
                _waiting--;
                StartService(agent, call, now);
                return;
            }
        }

        MakeIdle(agent);
    }

    private void SetMode(int agent, AgentMode mode, double now, string reason, string decisionId)
    {
        if (_mode[agent] != mode)
        {
            _crossSellCount += mode == AgentMode.CrossSell ? 1 : -1;
            _mode[agent] = mode;
            _since[agent] = now;
            _flips++;
        }

        _modeState[agent] = new AgentModeState(
            _ids[agent], ContactCentreSimulator.QueueId, _mode[agent], _midnight.AddSeconds(_since[agent]), reason, decisionId, _pending[agent]);
    }

    private void AccumulateAgentTime(double now)
    {
        var until = Math.Min(now, _dayEnd);
        if (until > _lastLoginChange)
        {
            _agentSeconds += _loggedIn * (until - _lastLoginChange);
            _lastLoginChange = until;
        }
    }

    private void Login(int agent, double now)
    {
        AccumulateAgentTime(now);
        _loggedIn++;
        _mode[agent] = _policy.ModeAtLogin;
        _pending[agent] = null;
        _since[agent] = now;
        _crossSellCount += _mode[agent] == AgentMode.CrossSell ? 1 : 0;
        _modeState[agent] = new AgentModeState(
            _ids[agent], ContactCentreSimulator.QueueId, _mode[agent], _midnight.AddSeconds(now), "Logged in.", string.Empty);
        MakeIdle(agent);

        // A newly staffed agent takes the oldest waiting call at once.
        while (_queueHead < _queueTail)
        {
            var call = _queue[_queueHead++];
            if (_callState[call] == Waiting)
            {
                _waiting--;
                _idleCount--;
                _idleStamp[agent]++;
                StartService(agent, call, now);
                return;
            }
        }
    }

    private void Logout(int agent, double now)
    {
        AccumulateAgentTime(now);
        _loggedIn--;
        if (_state[agent] == Idle)
        {
            _idleCount--;
        }

        _state[agent] = Off;
        _crossSellCount -= _mode[agent] == AgentMode.CrossSell ? 1 : 0;
        _mode[agent] = AgentMode.ServiceOnly;
        _pending[agent] = null;
    }

    private void Restaff(int target, double now)
    {
        var active = 0;
        for (var a = 0; a < _agentCount; a++)
        {
            active += _state[a] != Off && !_leaving[a] ? 1 : 0;
        }

        for (var a = 0; a < _agentCount && active < target; a++)
        {
            if (_state[a] != Off && _leaving[a])
            {
                _leaving[a] = false;
                active++;
            }
        }

        for (var a = 0; a < _agentCount && active < target; a++)
        {
            if (_state[a] == Off)
            {
                Login(a, now);
                active++;
            }
        }

        // Fewer agents: idle ones leave now (the most recently idle first), busy ones at the end of their call.
        for (var a = _agentCount - 1; a >= 0 && active > target; a--)
        {
            if (_state[a] == Idle)
            {
                Logout(a, now);
                active--;
            }
        }

        for (var a = _agentCount - 1; a >= 0 && active > target; a--)
        {
            if (_state[a] == Busy && !_leaving[a])
            {
                _leaving[a] = true;
                active--;
            }
        }
    }

    private void OnBoundary(int interval)
    {
        if (_policy.Forecast == ForecastSource.None)
        {
            return;
        }

        if (_policy.Forecast == ForecastSource.Intraday)
        {
            if (_forecaster is null)
            {
                return;
            }

            if (interval > 0)
            {
                _forecaster.Observe(interval - 1, _day.Counts[interval - 1]);
            }
        }

        var end = Math.Min(_day.Counts.Count, interval + _o.ForecastHorizonIntervals);
        var list = new ForecastInterval[end - interval];
        for (var i = interval; i < end; i++)
        {
            var start = _midnight.AddSeconds(_day.IntervalOffsets[i]);
            if (_policy.Forecast == ForecastSource.TrueArrivals)
            {
                list[i - interval] = new ForecastInterval(start, _day.IntervalSeconds, _day.Counts[i], _day.Counts[i])
                {
                    ScheduledAgents = _day.Staffing.AgentsAt(_day.IntervalOffsets[i]),
                };
            }
            else
            {
                var (expected, upper, rateCv) = _forecaster!.Forecast(i);
                list[i - interval] = new ForecastInterval(start, _day.IntervalSeconds, expected, upper)
                {
                    ScheduledAgents = _day.Staffing.AgentsAt(_day.IntervalOffsets[i]),
                    RateCv = rateCv,
                };
            }
        }

        _forecast = list;
    }

    private QueueSnapshot Snapshot(double now)
    {
        var agents = new List<AgentPresence>(_loggedIn);
        for (var a = 0; a < _agentCount; a++)
        {
            if (_state[a] == Idle)
            {
                agents.Add(_presenceAvailable[a]);
            }
            else if (_state[a] == Busy)
            {
                agents.Add(_presenceOnCall[a]);
            }
        }

        var oldest = 0.0;
        if (_waiting > 0)
        {
            while (_callState[_queue[_queueHead]] != Waiting)
            {
                _queueHead++;
            }

            oldest = now - _arrival[_queue[_queueHead]];
        }

        return new QueueSnapshot(ContactCentreSimulator.QueueId, _midnight.AddSeconds(now), _waiting, oldest, agents);
    }

    private void OnTick(double now)
    {
        var hh = HalfHour(now);
        _hhTicks[hh]++;
        _hhStaffedSum[hh] += _loggedIn;
        _hhCrossSum[hh] += _crossSellCount;
        if (!_policy.Reacts)
        {
            return;
        }

        var snapshot = _o.SnapshotLagSeconds > 0 && _captured is not null ? _captured : Snapshot(now);
        var modes = new List<AgentModeState>(_loggedIn);
        for (var a = 0; a < _agentCount; a++)
        {
            if (_state[a] != Off)
            {
                modes.Add(_modeState[a]);
            }
        }

        var input = new RebalanceInput(snapshot, modes, _settings, _midnight.AddSeconds(now))
        {
            Forecast = _forecast,
            AgentStats = _stats,
            DaySoFar = _daySoFar,
            DayWorstHalfHour = _worstHalfHourSoFar,
        };
        _policyRuns++;
        var decision = _policy.Decide(input);
        if (decision is not null)
        {
            Apply(decision, now);
        }
    }

    private void Apply(ModeDecision decision, double now)
    {
        var t = decision.OfferHoldMinIdleAgents ?? _settings.OfferHoldMinIdleAgents;
        if (t != _holdSettings.OfferHoldMinIdleAgents)
        {
            _holdSettings = _settings.WithOfferHoldReserve(t);
        }

        foreach (var change in decision.Agents)
        {
            if (!change.Changed || !_index.TryGetValue(change.AgentId, out var a) || _state[a] == Off)
            {
                continue;
            }

            var pending = change.PendingMode;
            if (pending is { } p && _state[a] != Busy)
            {
                // The call the flip waited for has already ended (the snapshot lags): it takes effect now.
                _pending[a] = null;
                SetMode(a, p, now, change.Reason, decision.DecisionId);
                continue;
            }

            _pending[a] = pending == change.Mode ? null : pending;
            SetMode(a, change.Mode, now, change.Reason, decision.DecisionId);
        }
    }

    private SimulationResult Result(int arrived)
    {
        var halfHours = new List<HalfHourResult>();
        var worst = double.NaN;
        for (var h = 0; h < 48; h++)
        {
            var planned = _day.Staffing.AgentsAt(h * 1800.0);
            if (_hhOffered[h] == 0 && planned == 0 && _hhTicks[h] == 0)
            {
                continue;
            }

            var r = new HalfHourResult(
                h * 1800, _hhOffered[h], _hhWithin[h], _hhAbandoned[h], planned,
                _hhTicks[h] == 0 ? 0 : _hhStaffedSum[h] / _hhTicks[h],
                _hhTicks[h] == 0 ? 0 : _hhCrossSum[h] / _hhTicks[h],
                _hhOffers[h]);
            halfHours.Add(r);
            if (_hhOffered[h] >= _o.WorstHalfHourMinCalls && !(r.ServiceLevel >= worst))
            {
                worst = r.ServiceLevel;
            }
        }

        var offered = arrived;
        var dayLevel = offered == 0 ? 1 : (double)_within / offered;
        return new SimulationResult
        {
            Policy = _policy.Name,
            Day = _day.Date,
            OfferedCalls = offered,
            AnsweredCalls = _answered,
            AnsweredWithinTarget = _within,
            AbandonedCalls = _abandoned,
            InSystemAtEnd = _waiting,
            WorstHalfHourServiceLevel = double.IsNaN(worst) ? dayLevel : worst,
            CrossSellCalls = _offersTotal,
            CrossSellAcceptances = _acceptedTotal,
            HeldOffers = _heldOffers,
            ModeFlips = _flips,
            AgentHours = _agentSeconds / 3600,
            PolicyRuns = _policyRuns,
            HalfHours = halfHours,
        };
    }
}
