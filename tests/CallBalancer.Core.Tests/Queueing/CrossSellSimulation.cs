namespace CallBalancer.Core.Tests.Queueing;

/// <summary>
/// A plain discrete-event simulation of the cross-sell threshold rule, written independently of the Markov-chain
/// solver: individual callers with their own patience deadlines in a FCFS queue, agents that serve (exponential,
/// mean AHT) and, at the end of service, pitch to an eligible caller (exponential, mean pitch) only if fewer than
/// at most <c>threshold</c> callers (itself included) are in the system. Deterministic for a given seed.
/// </summary>
internal static class CrossSellSimulation
{
    public sealed record Result(double ProbWait, double ServiceLevel, double AbandonRate, double OfferShare, long Calls);

    public static Result Run(double lambda, double aht, double pitch, double eligible, int agents, int threshold,
        double? patience, double targetSeconds, long calls, int seed)
    {
        var rng = new Random(seed);
        double Exp(double mean) => -mean * Math.Log(1 - rng.NextDouble());

        // Events: (time, kind, agent). kind 0 = arrival, 1 = service end, 2 = pitch end.
        var events = new PriorityQueue<(int Kind, int Agent), double>();
        var queue = new LinkedList<(double Arrived, double Deadline)>();
        var counted = new bool[agents]; // whether the agent's current caller arrived after the warm-up
        var idle = new Stack<int>(Enumerable.Range(0, agents).Reverse());
        long arrived = 0, waited = 0, within = 0, abandoned = 0, answered = 0, offers = 0;
        var inService = 0;
        var now = 0.0;
        var warmup = calls / 20;
        events.Enqueue((0, -1), Exp(1 / lambda));

        void Purge()
        {
            // Callers whose patience ran out before now have left (checked lazily when the queue is touched).
            for (var node = queue.First; node is not null;)
            {
                var nextNode = node.Next;
                if (node.Value.Deadline <= now)
                {
                    if (node.Value.Arrived >= 0)
                    {
                        abandoned++;
                    }

                    queue.Remove(node);
                }

                node = nextNode;
            }
        }

        void StartService(int agent, double arrivedAt)
        {
            counted[agent] = arrivedAt >= 0;
            inService++;
            if (arrivedAt >= 0)
            {
                answered++;
                if (now - arrivedAt <= targetSeconds)
                {
                    within++;
                }
            }

            events.Enqueue((1, agent), now + Exp(aht));
        }

        void FreeAgent(int agent)
        {
            inService--;
            Purge();
            if (queue.First is { } head)
            {
                queue.RemoveFirst();
                StartService(agent, head.Value.Arrived);
            }
            else
            {
                idle.Push(agent);
            }
        }

        while (events.TryDequeue(out var e, out var time))
        {
            now = time;
            if (e.Kind == 0)
            {
                if (arrived >= calls + warmup)
                {
                    break;
                }

                var measured = arrived >= warmup;
                arrived++;
                events.Enqueue((0, -1), now + Exp(1 / lambda));
                if (idle.Count > 0)
                {
                    StartService(idle.Pop(), measured ? now : -1);
                }
                else
                {
                    if (measured)
                    {
                        waited++;
                    }

                    queue.AddLast((measured ? now : -1, patience is { } p ? now + Exp(p) : double.PositiveInfinity));
                }
            }
            else if (e.Kind == 1)
            {
                Purge();
                var inSystem = inService + queue.Count;
                if (inSystem <= threshold && rng.NextDouble() < eligible)
                {
                    if (counted[e.Agent])
                    {
                        offers++;
                    }

                    events.Enqueue((2, e.Agent), now + Exp(pitch));
                }
                else
                {
                    FreeAgent(e.Agent);
                }
            }
            else
            {
                FreeAgent(e.Agent);
            }
        }

        var n = arrived - warmup;
        return new Result((double)waited / n, (double)within / n, (double)abandoned / n, (double)offers / (answered == 0 ? 1 : answered), n);
    }
}
