// Parameter schemas: parsing, validation and the built-in registry.

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/parameters.h>
#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/builtin.h>

#include <QtTest>

using namespace clusterscope;

class TestParameters : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseAndValidate()
    {
        const auto k = ParamSpec::integer("n_init", 1, 1, 10, "restarts");
        QCOMPARE(k.flag(), std::string("--n-init"));
        QCOMPARE(std::get<int64_t>(k.parse("7")), int64_t{7});
        CS_EXPECT_ERROR(ParameterError, k.parse("11"), "--n-init", "outside [1, 10]");
        CS_EXPECT_ERROR(ParameterError, k.parse("2.5"), "not an integer");
        const auto tol = ParamSpec::real("tol", 1e-4, 0, 1, "tolerance");
        QCOMPARE(std::get<double>(tol.parse("1e-3")), 1e-3);
        CS_EXPECT_ERROR(ParameterError, tol.parse("-1"), "outside");
        CS_EXPECT_ERROR(ParameterError, tol.parse("nan"), "--tol");
        const auto init = ParamSpec::choice("init", "a", {"a", "b"}, "seeding");
        QCOMPARE(std::get<std::string>(init.parse("b")), std::string("b"));
        CS_EXPECT_ERROR(ParameterError, init.parse("c"), "'c' is not one of a|b");
        const auto flag = ParamSpec::boolean("whiten", false, "whiten");
        QCOMPARE(std::get<bool>(flag.parse("yes")), true);
        CS_EXPECT_ERROR(ParameterError, flag.parse("maybe"), "true or false");
    }

    void paramSetDefaultsAndOverrides()
    {
        ParamSet p({ParamSpec::integer("k", 8, 1, 100, ""), ParamSpec::real("tol", 0.5, 0, 1, "")});
        QCOMPARE(p.integer("k"), int64_t{8});
        p.set("k", int64_t{3});
        p.set("tol", int64_t{0}); // an integer where a real is expected is accepted
        QCOMPARE(p.integer("k"), int64_t{3});
        QCOMPARE(p.real("tol"), 0.0);
        CS_EXPECT_ERROR(ParameterError, p.set("k", int64_t{0}), "--k");
        CS_EXPECT_ERROR(ParameterError, p.set("kk", int64_t{1}), "unknown parameter 'kk'");
        CS_EXPECT_ERROR(ParameterError, p.set("k", std::string("x")), "expected an integer");
    }

    void everyBuiltinSchemaIsConsistent()
    {
        QVERIFY(!builtinRegistry().all().empty());
        for (const auto& a : builtinRegistry().all())
        {
            QVERIFY(!a.id.empty() && !a.displayName.empty() && !a.summary.empty());
            QVERIFY(a.run);
            for (const auto& p : a.params)
            {
                QVERIFY2(!p.help.empty(), p.name.c_str());
                p.validate(p.defaultValue); // every default lies inside its own range
            }
        }
        const auto& km = builtinRegistry().get("kmeans");
        std::vector<std::string> names;
        for (const auto& p : km.params)
        {
            names.push_back(p.name);
        }
        QCOMPARE(names, (std::vector<std::string>{"k", "n_init", "max_iter", "tol", "init",
                                                  "temperature"}));
        CS_EXPECT_ERROR(ParameterError, builtinRegistry().get("kmeens"), "unknown method",
                        "kmeans");
    }
};

QTEST_GUILESS_MAIN(TestParameters)
#include "test_parameters.moc"
