// Leiden through igraph. igraph aborts on errors by default and draws from a process-wide
// generator, so calls are serialised and run with the error handler that returns codes.

#include <clusterscope/cluster/leiden.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>

#include <algorithm>
#include <igraph.h>
#include <map>
#include <mutex>
#include <numeric>
#include <string>

namespace clusterscope
{
namespace
{

std::mutex& igraphMutex()
{
    static std::mutex m;
    return m;
}

void check(igraph_error_t code, const char* what)
{
    if (code == IGRAPH_INTERRUPTED)
        throw CancelledError();
    if (code != IGRAPH_SUCCESS)
        throw Error(std::string("igraph failed in ") + what + ": " + igraph_strerror(code));
}

// igraph objects with their destructors, so errors cannot leak them.
struct Graph
{
    igraph_t g{};
    igraph_vector_t weights{};
    explicit Graph(const WeightedGraph& w)
    {
        igraph_vector_int_t edges;
        check(igraph_vector_int_init(&edges, static_cast<igraph_integer_t>(2 * w.from.size())),
              "allocating edges");
        for (size_t e = 0; e < w.from.size(); ++e)
        {
            VECTOR(edges)[2 * e] = w.from[e];
            VECTOR(edges)[2 * e + 1] = w.to[e];
        }
        const auto code = igraph_create(&g, &edges, w.nodes, IGRAPH_UNDIRECTED);
        igraph_vector_int_destroy(&edges);
        check(code, "building the graph");
        check(igraph_vector_init(&weights, static_cast<igraph_integer_t>(w.weights.size())),
              "allocating weights");
        std::copy(w.weights.begin(), w.weights.end(), VECTOR(weights));
    }
    ~Graph()
    {
        igraph_vector_destroy(&weights);
        igraph_destroy(&g);
    }
    Graph(const Graph&) = delete;
    Graph& operator=(const Graph&) = delete;
};

struct IntVector
{
    igraph_vector_int_t v{};
    explicit IntVector(int64_t n) { check(igraph_vector_int_init(&v, n), "allocating"); }
    ~IntVector() { igraph_vector_int_destroy(&v); }
    IntVector(const IntVector&) = delete;
    IntVector& operator=(const IntVector&) = delete;
};

struct RealVector
{
    igraph_vector_t v{};
    explicit RealVector(int64_t n) { check(igraph_vector_init(&v, n), "allocating"); }
    ~RealVector() { igraph_vector_destroy(&v); }
    RealVector(const RealVector&) = delete;
    RealVector& operator=(const RealVector&) = delete;
};

class QuietErrors
{
public:
    QuietErrors() : previous_(igraph_set_error_handler(igraph_error_handler_ignore)) {}
    ~QuietErrors() { igraph_set_error_handler(previous_); }
    QuietErrors(const QuietErrors&) = delete;
    QuietErrors& operator=(const QuietErrors&) = delete;

private:
    igraph_error_handler_t* previous_;
};

// Polls a run's cancel flag from inside igraph's loops (IGRAPH_ALLOW_INTERRUPTION, once per
// node visited), and keeps its reports moving meanwhile. igraph's handler is process-wide and
// takes no argument, so the run is held in a static that igraphMutex guards.
class Interruptible
{
public:
    explicit Interruptible(Progress& progress) : previous_(igraph_set_interruption_handler(&poll))
    {
        current() = {&progress, 0.0, "", true};
    }
    ~Interruptible()
    {
        igraph_set_interruption_handler(previous_);
        current() = {};
    }
    Interruptible(const Interruptible&) = delete;
    Interruptible& operator=(const Interruptible&) = delete;

    // What the reports made from inside igraph say.
    void stage(double fraction, std::string message)
    {
        current().fraction = fraction;
        current().message = std::move(message);
    }

    // igraph_community_leiden (igraph 0.10) frees a stack vector when interrupted midway (ASan:
    // bad-free in IGRAPH_FINALLY_FREE; igraph/igraph#1368 was an earlier case): while it runs,
    // the handler keeps reporting but never interrupts, and the caller checks the cancel after
    // each iteration.
    class Uninterrupted
    {
    public:
        Uninterrupted() { current().interruptible = false; }
        ~Uninterrupted() { current().interruptible = true; }
        Uninterrupted(const Uninterrupted&) = delete;
        Uninterrupted& operator=(const Uninterrupted&) = delete;
    };

private:
    struct Run
    {
        Progress* progress = nullptr;
        double fraction = 0;
        std::string message;
        bool interruptible = true;
    };
    static Run& current()
    {
        static Run run;
        return run;
    }
    // C code calls this: it must not throw.
    static igraph_error_t poll(void*) noexcept
    {
        try
        {
            const Run& run = current();
            if (!run.progress)
                return IGRAPH_SUCCESS;
            if (run.interruptible && run.progress->cancelRequested())
                return IGRAPH_INTERRUPTED;
            run.progress->reportThrottled(run.fraction, [&] { return run.message; });
            return IGRAPH_SUCCESS;
        }
        catch (...)
        {
            return IGRAPH_INTERRUPTED;
        }
    }

    igraph_interruption_handler_t* previous_;
};

// Community ids by decreasing size (ties by first appearance), so labels read the same way
// whatever igraph's numbering.
std::vector<int64_t> renumberBySize(const igraph_vector_int_t& membership)
{
    const auto n = igraph_vector_int_size(&membership);
    std::map<int64_t, int64_t> size;
    std::map<int64_t, int64_t> first;
    for (igraph_integer_t i = 0; i < n; ++i)
    {
        ++size[VECTOR(membership)[i]];
        first.emplace(VECTOR(membership)[i], i);
    }
    std::vector<int64_t> ids;
    for (const auto& [id, count] : size)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end(),
              [&](int64_t a, int64_t b)
              { return size[a] != size[b] ? size[a] > size[b] : first[a] < first[b]; });
    std::map<int64_t, int64_t> rank;
    for (size_t i = 0; i < ids.size(); ++i)
        rank[ids[i]] = static_cast<int64_t>(i);
    std::vector<int64_t> labels(static_cast<size_t>(n));
    for (igraph_integer_t i = 0; i < n; ++i)
        labels[static_cast<size_t>(i)] = rank[VECTOR(membership)[i]];
    return labels;
}

} // namespace

LeidenObjective parseLeidenObjective(const std::string& name)
{
    if (name == "modularity")
        return LeidenObjective::Modularity;
    if (name == "cpm")
        return LeidenObjective::Cpm;
    throw ParameterError("objective '" + name + "' is not one of modularity|cpm");
}

WeightedGraph symmetricKnnGraph(const KnnGraph& knn)
{
    std::vector<std::pair<int64_t, int64_t>> pairs;
    pairs.reserve(static_cast<size_t>(knn.rows * knn.k));
    for (int64_t i = 0; i < knn.rows; ++i)
    {
        for (int64_t j = 0; j < knn.k; ++j)
        {
            const int64_t b = knn.neighbor(i, j);
            pairs.emplace_back(std::min(i, b), std::max(i, b));
        }
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    WeightedGraph g;
    g.nodes = knn.rows;
    for (const auto& [a, b] : pairs)
    {
        if (a == b)
            continue; // a duplicate row can list itself
        g.from.push_back(a);
        g.to.push_back(b);
    }
    g.weights.assign(g.from.size(), 1.0);
    return g;
}

LeidenResult leiden(const WeightedGraph& w, const LeidenOptions& o, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    if (o.resolution <= 0)
        throw ParameterError("the resolution must be positive");
    std::lock_guard lock(igraphMutex());
    QuietErrors quiet;
    Interruptible interruptible(progress);
    Graph graph(w);
    check(igraph_rng_seed(igraph_rng_default(), static_cast<igraph_uint_t>(o.seed)), "seeding");
    const double totalWeight = std::accumulate(w.weights.begin(), w.weights.end(), 0.0);
    // Modularity is the CPM with node weights = strengths and resolution / 2m.
    RealVector strength(w.nodes);
    double resolution = o.resolution;
    const bool byModularity = o.objective == LeidenObjective::Modularity;
    if (byModularity)
    {
        check(igraph_strength(&graph.g, &strength.v, igraph_vss_all(), IGRAPH_ALL, IGRAPH_LOOPS,
                              &graph.weights),
              "computing strengths");
        resolution /= 2 * std::max(totalWeight, 1e-300);
    }
    IntVector membership(w.nodes);
    IntVector previous(w.nodes);
    igraph_integer_t clusters = 0;
    igraph_real_t quality = 0;
    LeidenResult r;
    // One iteration per call, so a cancel is seen between iterations.
    while (o.iterations == 0 || r.iterations < o.iterations)
    {
        const double fraction =
            o.iterations > 0 ? static_cast<double>(r.iterations) / o.iterations : 0.5;
        std::string message = "Leiden iteration " + std::to_string(r.iterations + 1);
        progress.poll(fraction, [&] { return message; });
        interruptible.stage(fraction, std::move(message));
        check(igraph_vector_int_update(&previous.v, &membership.v), "copying");
        {
            const Interruptible::Uninterrupted unsafeToInterrupt;
            check(igraph_community_leiden(&graph.g, &graph.weights,
                                          byModularity ? &strength.v : nullptr, resolution, o.beta,
                                          r.iterations > 0, 1, &membership.v, &clusters, &quality),
                  "igraph_community_leiden");
        }
        throwIfCancelled(progress);
        ++r.iterations;
        if (o.iterations == 0 && r.iterations > 1 &&
            igraph_vector_int_all_e(&previous.v, &membership.v))
            break;
    }
    r.labels = renumberBySize(membership.v);
    r.quality = quality;
    return r;
}

double modularity(const WeightedGraph& w, const std::vector<int64_t>& labels, double resolution)
{
    std::lock_guard lock(igraphMutex());
    QuietErrors quiet;
    Graph graph(w);
    IntVector membership(w.nodes);
    for (size_t i = 0; i < labels.size(); ++i)
        VECTOR(membership.v)[i] = labels[i];
    igraph_real_t q = 0;
    check(igraph_modularity(&graph.g, &membership.v, &graph.weights, resolution, IGRAPH_UNDIRECTED,
                            &q),
          "igraph_modularity");
    return q;
}

} // namespace clusterscope
