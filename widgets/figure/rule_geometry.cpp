#include "rule_geometry.h"

#include <algorithm>
#include <cmath>

namespace clusterscope
{

std::vector<HalfPlane> halfPlanesOf(const Rule& rule, int64_t x, int64_t y, int* skipped)
{
    std::vector<HalfPlane> out;
    int other = 0;
    for (const auto& c : rule.conditions)
    {
        HalfPlane h;
        bool drawable = true;
        for (const auto& [j, w] : c.terms)
        {
            if (j == x)
                h.a += w;
            else if (j == y)
                h.b += w;
            else
                drawable = false;
        }
        if (!drawable || (h.a == 0 && h.b == 0))
        {
            ++other;
            continue;
        }
        h.c = c.threshold;
        if (c.op != Condition::Op::LessEqual) // >= or >: flip to <=
            h = {-h.a, -h.b, -h.c};
        out.push_back(h);
    }
    if (skipped)
        *skipped = other;
    return out;
}

std::vector<QPointF> clipBox(const QRectF& box, const std::vector<HalfPlane>& planes)
{
    std::vector<QPointF> poly{box.topLeft(), box.topRight(), box.bottomRight(), box.bottomLeft()};
    for (const auto& h : planes)
    {
        const auto inside = [&](const QPointF& p) { return h.a * p.x() + h.b * p.y() <= h.c; };
        const auto cross = [&](const QPointF& p, const QPointF& q)
        {
            const double fp = h.a * p.x() + h.b * p.y() - h.c;
            const double fq = h.a * q.x() + h.b * q.y() - h.c;
            const double t = fp / (fp - fq);
            return p + t * (q - p);
        };
        std::vector<QPointF> next;
        for (size_t i = 0; i < poly.size(); ++i)
        {
            const QPointF& p = poly[i];
            const QPointF& q = poly[(i + 1) % poly.size()];
            if (inside(p))
            {
                next.push_back(p);
                if (!inside(q))
                    next.push_back(cross(p, q));
            }
            else if (inside(q))
                next.push_back(cross(p, q));
        }
        poly = std::move(next);
        if (poly.empty())
            break;
    }
    return poly;
}

std::optional<std::pair<QPointF, QPointF>> boundaryInBox(const QRectF& box, const HalfPlane& h)
{
    std::vector<QPointF> hits;
    const auto add = [&](double x, double y)
    {
        const double eps = 1e-12 * std::max(1.0, box.width() + box.height());
        if (x >= box.left() - eps && x <= box.right() + eps && y >= box.top() - eps &&
            y <= box.bottom() + eps)
            hits.emplace_back(x, y);
    };
    if (h.b != 0)
        for (double x : {box.left(), box.right()})
            add(x, (h.c - h.a * x) / h.b);
    if (h.a != 0)
        for (double y : {box.top(), box.bottom()})
            add((h.c - h.b * y) / h.a, y);
    if (hits.size() < 2)
        return std::nullopt;
    // The two hits farthest apart (a corner may be hit twice).
    std::pair<QPointF, QPointF> best{hits[0], hits[1]};
    double far = -1;
    for (size_t i = 0; i < hits.size(); ++i)
        for (size_t j = i + 1; j < hits.size(); ++j)
        {
            const QPointF d = hits[i] - hits[j];
            const double len = d.x() * d.x() + d.y() * d.y();
            if (len > far)
            {
                far = len;
                best = {hits[i], hits[j]};
            }
        }
    return best;
}

} // namespace clusterscope
