// The parameter form generated from a schema: one editor per parameter, tooltips with the
// range, and validation that agrees with the schema (and so with the CLI).

#include "gui_main.h"
#include "parameter_form.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/builtin.h>

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>

using namespace clusterscope;

class TestParameterForm : public QObject
{
    Q_OBJECT

    std::vector<ParamSpec> schema{
        ParamSpec::integer("k", 8, 2, 50, "Number of clusters"),
        ParamSpec::real("tol", 1e-4, 0, 1, "Tolerance"),
        ParamSpec::choice("init", "k-means++", {"k-means++", "random"}, "Seeding"),
        ParamSpec::boolean("verbose", false, "Talk"),
    };

private Q_SLOTS:
    void buildsOneEditorPerParameter()
    {
        ParameterForm form;
        form.setSchema(schema);
        QVERIFY(qobject_cast<QLineEdit*>(form.editor("k")));
        QVERIFY(qobject_cast<QLineEdit*>(form.editor("tol")));
        auto* init = qobject_cast<QComboBox*>(form.editor("init"));
        QVERIFY(init);
        QCOMPARE(init->count(), 2);
        QVERIFY(qobject_cast<QCheckBox*>(form.editor("verbose")));
        QVERIFY(form.editor("k")->toolTip().contains("Number of clusters"));
        QVERIFY(form.editor("k")->toolTip().contains("[2, 50]"));
        const ParamSet v = form.values();
        QCOMPARE(v.integer("k"), int64_t{8});
        QCOMPARE(v.choice("init"), std::string("k-means++"));
        // An empty field shows a number's range, or a text's example from its help, never
        // the bare word "text".
        QCOMPARE(qobject_cast<QLineEdit*>(form.editor("k"))->placeholderText(), QString("[2, 50]"));
        ParameterForm texts;
        texts.setSchema({ParamSpec::text("image_size", "", "HEIGHTxWIDTH (e.g. 28x28) resizes"),
                         ParamSpec::text("note", "", "Free text")});
        QCOMPARE(qobject_cast<QLineEdit*>(texts.editor("image_size"))->placeholderText(),
                 QString("e.g. 28x28"));
        QCOMPARE(qobject_cast<QLineEdit*>(texts.editor("note"))->placeholderText(), QString());
    }

    void validatesAsTheSchemaDoes()
    {
        ParameterForm form;
        form.setSchema(schema);
        QSignalSpy validity(&form, &ParameterForm::validityChanged);
        auto* k = qobject_cast<QLineEdit*>(form.editor("k"));
        QTest::keyClicks(k, "0"); // "80" is outside [2, 50]
        QVERIFY(!form.isValid());
        QCOMPARE(validity.count(), 1);
        QCOMPARE(validity.last().at(0).toBool(), false);
        QVERIFY(form.firstError().contains("--k"));
        QVERIFY(k->styleSheet().contains("border"));
        QVERIFY_THROWS_EXCEPTION(ParameterError, form.values());
        k->setText("12");
        QVERIFY(form.isValid());
        QCOMPARE(validity.last().at(0).toBool(), true);
        QVERIFY(k->styleSheet().isEmpty());
        QVERIFY(!form.setText("tol", "abc"));
        QVERIFY(form.setText("tol", "0.5"));
        QCOMPARE(form.values().real("tol"), 0.5);
        QVERIFY(form.setText("init", "random"));
        QCOMPARE(form.values().choice("init"), std::string("random"));
    }

    void everyRegisteredMethodGetsAForm()
    {
        for (const auto& a : builtinRegistry().all())
        {
            ParameterForm form;
            form.setSchema(a.params);
            QVERIFY2(form.isValid(), a.id.c_str()); // the defaults are valid
            for (const auto& p : a.params)
            {
                QVERIFY(form.editor(p.name));
            }
        }
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestParameterForm)
#include "test_parameter_form.moc"
