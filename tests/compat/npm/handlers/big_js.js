// big.js: exact decimal arithmetic for money.
var Big = require('big.js');
module.exports = function (req, res) {
    var price = new Big('0.1'), qty = new Big(3);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({
        float: 0.1 * 3, exact: price.times(qty).toString(), sum: new Big('0.1').plus('0.2').toString(),
        div: new Big(1).div(3).toFixed(10), round: new Big('2.345').round(2).toString(),
        cmp: [new Big('1.10').eq('1.1'), new Big(2).gt(1), new Big('-0').toString()],
        pow: new Big(2).pow(70).toString(), sqrt: new Big(2).sqrt().toPrecision(12)
    }));
};
